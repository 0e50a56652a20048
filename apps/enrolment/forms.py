from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CSV_KINDS, Kind
from .parsers.csv import FIELDS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand uit de leerlingadministratie"),
        help_text=_("EDEXML (.xml) of CSV (.csv), hoogstens 20 MB."),
    )
    kind = forms.ChoiceField(
        label=_("Wat staat erin?"),
        required=False,
        choices=[("", _("Zelf herkennen"))] + [(k.value, k.label) for k in Kind if k in CSV_KINDS],
    )


class MappingForm(forms.Form):
    """One select per field of ours, the choices being the file's columns."""

    def __init__(self, *args, kind: str, headers: list[str], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— niet in dit bestand —"))] + [(h, h) for h in headers]
        for f in FIELDS[kind]:
            self.fields[f.name] = forms.ChoiceField(
                label=f.label, choices=choices, required=f.required, initial=initial_mapping.get(f.name, "")
            )
