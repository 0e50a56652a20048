from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DuoStatus, LeaveRequest
from .services import Period


class SickReportForm(forms.Form):
    child = forms.TypedChoiceField(
        label=_("Welk kind?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("U kunt alleen een kind ziek melden dat bij u hoort. Kies een van uw kinderen."),
            "required": _("Kies welk kind ziek is."),
        },
    )
    note = forms.CharField(
        label=_("Opmerking (mag leeg blijven)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    period = forms.ChoiceField(
        choices=[
            (Period.TODAY, _("Vandaag")),
            (Period.TWO_DAYS, _("Vandaag en morgen")),
            (Period.UNTIL_BETTER, _("Tot beter")),
        ],
        error_messages={"required": _("Kies hoe lang: vandaag, vandaag en morgen, of tot beter.")},
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(c.pk, c.first_name) for c in children]
        if len(children) == 1:
            self.fields["child"].initial = children[0].pk


class WorryForm(forms.Form):
    note = forms.CharField(label=_("Waarom maakt u zich zorgen?"), max_length=300, required=False)


class StepForm(forms.Form):
    note = forms.CharField(label=_("Wat is er gedaan? (mag leeg blijven)"), max_length=300, required=False)


class LeaveRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort verlof"), choices=LeaveRequest.Kind.choices)
    first_day = forms.DateField(label=_("Eerste dag"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Laatste dag"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Waarom vraagt u verlof?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeaveDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("Besluit"),
        choices=[("1", _("Toestaan")), ("0", _("Niet toestaan"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reden (de ouders lezen dit)"), max_length=500)


class TestDayForm(forms.Form):
    day = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Omschrijving (mag leeg blijven)"), max_length=100, required=False)


class DuoStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nieuwe status"), choices=DuoStatus.choices)
    reference = forms.CharField(label=_("Kenmerk bij DUO (mag leeg blijven)"), max_length=40, required=False)


class JeugdartsReferralForm(forms.Form):
    """MAZL step 4 from the signal: to which GGD, and the question for the jeugdarts."""

    organisation = forms.ModelChoiceField(label=_("GGD van de jeugdarts"), queryset=None, empty_label=None)
    question = forms.CharField(
        label=_("Vraag aan de jeugdarts"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
