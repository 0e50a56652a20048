from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.widgets import DateInput
from apps.meetings.keys import SevenKey

from .models import FIT_MAX, FIT_MIN, ActionPoint, Factor, Level

KEY_CHOICES = [("", _("geen bepaalde sleutel")), *SevenKey.choices]
FIT_CHOICES = [(str(n), str(n)) for n in range(FIT_MIN, FIT_MAX + 1)]


class StartForm(forms.Form):
    held_on = forms.DateField(label=_("Datum van de review"), widget=DateInput())


class ParticipantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Wie doet mee?"), queryset=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda u: u.full_name or u.email


class FitForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    fit = forms.ChoiceField(
        label=_("Hoe passend was de hulp? (1 = helemaal niet, 5 = helemaal)"),
        choices=FIT_CHOICES,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)


class FactorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hielp of belemmerde het?"), choices=Factor.Kind.choices, widget=forms.RadioSelect)
    level = forms.ChoiceField(label=_("Niveau"), choices=Level.choices)
    key = forms.ChoiceField(label=_("Sleutel"), choices=KEY_CHOICES, required=False)
    text = forms.CharField(label=_("Wat?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ActionPointForm(forms.Form):
    text = forms.CharField(label=_("Actiepunt"), max_length=500)
    destination = forms.ChoiceField(
        label=_("Waar komt het?"), choices=ActionPoint.Destination.choices, widget=forms.RadioSelect
    )
    owner = forms.ModelChoiceField(label=_("Wie voert het uit?"), queryset=None)
    due = forms.DateField(label=_("Uiterlijk op (voor het plan)"), widget=DateInput(), required=False)
    key = forms.ChoiceField(label=_("Sleutel"), choices=KEY_CHOICES, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda u: u.full_name or u.email
