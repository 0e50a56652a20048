from django import template

from apps.core import extensions as links

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_links(context):
    return links.nav_links(context["request"].user)


@register.simple_tag(takes_context=True)
def child_links(context, child):
    return links.child_links(child, context["request"].user)


@register.simple_tag
def form_token():
    """A hidden one-time token: the view saves a double-submitted form once (apps.core.idempotency)."""
    from django.utils.html import format_html

    from apps.core.idempotency import FIELD, new_token

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
