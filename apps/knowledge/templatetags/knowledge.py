from django import template

from .. import services

register = template.Library()


@register.inclusion_tag("knowledge/_links.html", takes_context=True)
def knowledge_links(context, obj):
    """The knowledge-base links of `obj`, and a form to add one for who may (the object's app decides)."""
    request = context["request"]
    may = services.may_link(request.user, obj)
    return {
        "links": services.links_for(obj),
        "may_link": may,
        "choices": services.entry_choices() if may else [],
        "source": services.linkable_label(obj),
        "object_id": obj.pk,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
