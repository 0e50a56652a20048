from django import forms
from django.utils.translation import gettext_lazy as _

from apps.consent.models import Category

from .models import Kind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EntryForm(forms.Form):
    """Add or correct a timeline entry; categories are limited to what the person may write."""

    happened_on = forms.DateField(label=_("Datum (of begin van een periode)"), widget=DateInput())
    ends_on = forms.DateField(label=_("Einddatum (alleen bij een periode)"), required=False, widget=DateInput())
    kind = forms.ChoiceField(label=_("Soort"), choices=Kind.choices)
    text = forms.CharField(label=_("Wat gebeurde er?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(
        label=_("Soort informatie"),
        help_text=_("Bepaalt wie dit mag zien, volgens de toestemming van de familie."),
        choices=Category.choices,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["category"].choices = [(c.value, c.label) for c in Category if c.value in categories]
