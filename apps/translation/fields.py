"""Translated fields in /api/v1/ on request: ``?lang=ar`` (docs/translation.md, docs/api.md).

The view reads its objects through the policy as always, then asks for their translations here, in one
cache read and at most one call to the server per page. Each object gets a ``translated`` object:
``{"language", "source": "school" | "machine" | "unavailable" | "original", "fields": {...}, "note"}``.
Without ``?lang=`` it is null.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers

from .languages import SOURCE_LANGUAGE, resolve
from .services import translate_many

LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    description="A language code (e.g. ar): adds the translated fields under `translated`. A code we do not "
    "offer falls back to Dutch with a note.",
    required=False,
)
with_lang = extend_schema(parameters=[LANG_PARAMETER])


def requested_language(request) -> tuple[str, str] | None:
    """(language, note) when the client asked for ``?lang=``, else None."""
    asked = request.query_params.get("lang") if request is not None else None
    if asked is None:
        return None
    return resolve(asked)


def translated_fields(request, objects, fields: list[str], versions=None) -> dict:
    """{pk: translated object} for `objects`; `versions(obj)` may give {language: [parts]} written by hand."""
    wanted = requested_language(request)
    if wanted is None:
        return {}
    language, note = wanted
    objects = list(objects)
    if language == SOURCE_LANGUAGE:
        return {o.pk: {"language": SOURCE_LANGUAGE, "source": "original", "fields": {}, "note": note} for o in objects}
    result, machine = {}, []
    for obj in objects:
        written = (versions(obj) if versions else {}).get(language)
        if written:
            result[obj.pk] = {
                "language": language,
                "source": "school",
                "fields": dict(zip(fields, written, strict=True)),
                "note": "",
            }
        else:
            machine.append(obj)
    texts = [getattr(obj, field) or "" for obj in machine for field in fields]
    found = translate_many(texts, language)
    for index, obj in enumerate(machine):
        parts = found[index * len(fields) : (index + 1) * len(fields)]
        originals = texts[index * len(fields) : (index + 1) * len(fields)]
        if any(text.strip() and part is None for text, part in zip(originals, parts, strict=True)):
            result[obj.pk] = {
                "language": language,
                "source": "unavailable",
                "fields": {},
                "note": _("Vertalen lukt nu niet. U ziet de oorspronkelijke tekst."),
            }
        else:
            result[obj.pk] = {
                "language": language,
                "source": "machine",
                "fields": {f: (p.text if p else "") for f, p in zip(fields, parts, strict=True)},
                "note": "",
            }
    return result


class TranslatedSerializer(serializers.Serializer):
    language = serializers.CharField()
    source = serializers.ChoiceField(choices=["school", "machine", "unavailable", "original"])
    fields = serializers.DictField(child=serializers.CharField(allow_blank=True))
    note = serializers.CharField(allow_blank=True)


@extend_schema_field(TranslatedSerializer(allow_null=True))
class TranslatedField(serializers.Field):
    """Reads the translations the view put in the serializer's context under "translations"; null without."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault("help_text", "Only with ?lang=: the translated fields (docs/translation.md); else null.")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return self.context.get("translations", {}).get(value.pk)
