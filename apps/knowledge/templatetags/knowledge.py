from django import template

from apps.access.policy import request_value

from .. import services

register = template.Library()


@register.inclusion_tag("knowledge/_links.html", takes_context=True)
def knowledge_links(context, obj, links=None, next=None, compact=False):
    """The knowledge-base links of `obj`, and a form to add one for who may (the object's app decides).

    A page that lists many objects passes `links` from `services.links_by_object` (one query for all), and
    the entry choices are read once per request, so its query count does not grow with the objects.
    `next`: where to come back to (default: this page); `compact`: a small block inside a list item."""
    request = context["request"]
    may = services.may_link(request.user, obj)
    # A missing `links` (an htmx row rendered alone) resolves to None or "": then this object's own query.
    links = links.get(obj.pk, []) if isinstance(links, dict) else services.links_for(obj)
    return {
        "links": links,
        "may_link": may,
        "choices": request_value("knowledge_entry_choices", services.entry_choices) if may else [],
        "source": services.linkable_label(obj),
        "object_id": obj.pk,
        "hid": f"{obj._meta.model_name}-{obj.pk}",
        "next": next or request.get_full_path(),
        "compact": compact,
        "csrf_token": context.get("csrf_token"),
    }
