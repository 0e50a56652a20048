from django import template

from apps.core import extensions as links

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_links(context):
    return links.nav_links(context["request"].user)


@register.simple_tag(takes_context=True)
def child_links(context, child):
    return links.child_links(child, context["request"].user)
