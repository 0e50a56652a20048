"""What a view calls to load a child: 404 for an unknown id, a logged 403 for someone outside the rule."""

from django.shortcuts import get_object_or_404

from apps.audit.log import Actor
from apps.circles.models import Child
from apps.consent.models import Category

from .policy import Action, authorize


def load_child(child_id, *prefetch: str) -> Child:
    """The child with what the policy reads (school, class, own account, guardians); 404 when unknown.

    For services that authorize themselves; views and API endpoints that only need the check call
    `child_for` / `api_child`, which load through here.
    """
    return get_object_or_404(
        Child.objects.select_related("school", "group", "user").prefetch_related("guardianships", *prefetch),
        pk=child_id,
    )


def child_for(
    request,
    child_id,
    action: str = Action.VIEW,
    category: str = Category.BASIC,
    *,
    label: str = "",
    obj=None,
    channel: str = "web",
    prefetch: tuple = (),
) -> Child:
    child = load_child(child_id, *prefetch)
    authorize(Actor.from_request(request, channel), action, child, category, obj=obj, label=label)
    return child
