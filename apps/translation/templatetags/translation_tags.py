"""{% translate_button %} and {% read_aloud %}: the two small buttons beside content (docs/translation.md)."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..languages import SOURCE_LANGUAGE, resolve

register = template.Library()


@register.inclusion_tag("translation/_button.html", takes_context=True)
def translate_button(context, url: str, target: str, key=""):
    """A "Vertaal" button that fetches the translation into the reader's language and shows it in a block
    with id `target` (followed by `key`, e.g. the object's pk) below the original. Not shown to a reader
    in Dutch: there is nothing to translate to."""
    request = context.get("request")
    language, _note = resolve(getattr(request, "LANGUAGE_CODE", "") if request else "")
    return {"show_translate": language != SOURCE_LANGUAGE, "url": url, "target": f"{target}{key}"}


@register.simple_tag(takes_context=True)
def read_aloud(context, target: str):
    """A "Lees voor" button that reads the element with id `target` aloud with the browser's own speech
    synthesis (static/js/read-aloud.js); hidden until that script finds speechSynthesis. No server call."""
    request = context.get("request")
    script = ""
    if request is not None and not getattr(request, "_read_aloud_script", False):
        request._read_aloud_script = True
        nonce = getattr(request, "csp_nonce", "")
        script = format_html('<script src="{}" defer nonce="{}"></script>', static("js/read-aloud.js"), nonce)
    button = format_html(
        '<button type="button" class="secondary read-aloud" data-read-aloud="{}" data-stop-label="{}" hidden>'
        "{}</button>",
        target,
        _("Stop met voorlezen"),
        _("Lees voor"),
    )
    return format_html("{}{}", script, button)
