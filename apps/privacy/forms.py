from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.widgets import DateInput


class InspectionRequestForm(forms.Form):
    youth_care = forms.BooleanField(
        label=_("Alleen wat de jeugdhulp over mij vastlegde"), required=False, widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Toelichting (mag leeg blijven)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("Nieuwe uiterste datum"), widget=DateInput)
    reason = forms.CharField(
        label=_("Waarom duurt het langer? De aanvrager leest dit."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RedactionForm(forms.Form):
    terms = forms.CharField(
        label=_("Woorden om weg te laten (namen van anderen), één per regel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    omitted = forms.CharField(
        label=_("Onderdelen om weg te laten (bijvoorbeeld messages:12), één per regel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(label=_("Waarom laat u dit weg?"), required=False, max_length=500)

    def lines(self, name) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get(name, "").splitlines() if line.strip()]


class CorrectionForm(forms.Form):
    proposed_text = forms.CharField(
        label=_("Hoe klopt het wel?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    explanation = forms.CharField(
        label=_("Wat klopt er niet?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Uw besluit"),
        choices=[("1", _("Verbeteren zoals gevraagd")), ("0", _("Niet verbeteren"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decision_reason = forms.CharField(
        label=_("Reden (verplicht als u niet verbetert)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatementForm(forms.Form):
    text = forms.CharField(label=_("Uw zienswijze"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))


class HoldForm(forms.Form):
    reason = forms.CharField(label=_("Waarom moet het dossier langer bewaard blijven?"), max_length=500)
