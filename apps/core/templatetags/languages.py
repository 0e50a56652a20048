"""Right to left and the glossary in templates (docs/languages.md).

- `{{ name|bdi }}`: a person's name isolated in `<bdi>`, so a Dutch name inside Arabic text keeps its own
  direction and does not pull the punctuation around it. Safe inside `{% blocktranslate with name=…|bdi %}`.
- `{{ text|glossary }}`: the school words of apps/core/glossary.py in `text` linked to their explanation on
  `/woorden/` (each word once per text). The text is escaped first; only the links are markup.
"""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from apps.core.glossary import PATTERN, term_at

register = template.Library()


@register.filter
def bdi(value):
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def glossary(value):
    text = conditional_escape("" if value is None else value)
    seen = set()
    page = reverse("glossary")

    def link(match):
        term = term_at(match)
        if term.slug in seen:
            return match.group(0)
        seen.add(term.slug)
        return f'<a class="term" href="{page}#{term.slug}">{match.group(0)}</a>'

    return mark_safe(PATTERN.sub(link, str(text)))  # noqa: S308 - escaped above; the links are ours
