"""Right to left and the glossary in templates (docs/languages.md).

- `{{ name|bdi }}`: a person's name isolated in `<bdi>`, so a Dutch name inside Arabic text keeps its own
  direction and does not pull the punctuation around it. Safe inside `{% blocktranslate with name=…|bdi %}`.
- `{{ text|glossary }}`: the school words of apps/core/glossary.py in `text` linked to their explanation on
  `/woorden/` (each word once per text). The text is escaped first; only the links are markup.
"""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe

from apps.core.glossary import PATTERN, term_at

register = template.Library()


@register.filter
def bdi(value):
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def glossary(value):
    text = "" if value is None else str(value)
    if isinstance(value, SafeData):  # already markup (a translated text from the template): match as it is
        parts, escape = text, str
    else:
        parts, escape = text, conditional_escape
    seen, out, last = set(), [], 0
    page = reverse("glossary")
    for match in PATTERN.finditer(parts):
        term = term_at(match)
        if term.slug in seen:
            continue
        seen.add(term.slug)
        out.append(escape(parts[last : match.start()]))
        out.append(format_html('<a class="term" href="{}#{}">{}</a>', page, term.slug, match.group(0)))
        last = match.end()
    out.append(escape(parts[last:]))
    return mark_safe("".join(str(piece) for piece in out))  # noqa: S308 - every piece is escaped or ours
