"""One policy memo per request (docs/performance.md): opened before the view and closed after the response
is rendered (Django renders template responses inside the middleware chain), so the view, the menu, the
child-page links and the attention panel share it."""

from .policy import policy_scope


class PolicyMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with policy_scope():
            return self.get_response(request)
