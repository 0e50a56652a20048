"""`{% attach_statements entries "timeline_entry" %}`: one query gives every entry its family statements."""

from django import template

from apps.access.policy import Action, decide
from apps.consent.models import Category

register = template.Library()


@register.simple_tag(takes_context=True)
def attach_statements(context, objects, kind: str, child=None) -> str:
    from apps.privacy.services import attach_statements as attach

    attach(kind, objects)
    user = context.get("user")
    if child is not None and user is not None:
        context["may_respond"] = decide(user, Action.ADD_STATEMENT, child, Category.BASIC).allowed
    return ""
