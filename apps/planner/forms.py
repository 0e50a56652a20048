from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _aware(day, time):
    if not day or not time:
        return None
    return timezone.make_aware(datetime.combine(day, time))


class RoundForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Groep"), queryset=None)
    purpose = forms.CharField(
        label=_("Doel van de gesprekken"),
        required=False,
        max_length=500,
        initial=_("Kennismaken: wat heeft uw kind nodig om een goed jaar te hebben? We spreken verwachtingen af."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    slot_minutes = forms.IntegerField(label=_("Minuten per gesprek"), initial=15, min_value=5, max_value=120)
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False)
    day1 = forms.DateField(label=_("Eerste avond: datum"), widget=forms.DateInput(attrs={"type": "date"}))
    start1 = forms.TimeField(
        label=_("Eerste avond: van"), initial="18:30", widget=forms.TimeInput(attrs={"type": "time"})
    )
    end1 = forms.TimeField(
        label=_("Eerste avond: tot"), initial="20:30", widget=forms.TimeInput(attrs={"type": "time"})
    )
    day2 = forms.DateField(
        label=_("Tweede avond: datum (mag leeg)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    start2 = forms.TimeField(
        label=_("Tweede avond: van"), required=False, initial="18:30", widget=forms.TimeInput(attrs={"type": "time"})
    )
    end2 = forms.TimeField(
        label=_("Tweede avond: tot"), required=False, initial="20:30", widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups

    def windows(self):
        d = self.cleaned_data
        return [
            (_aware(d.get("day1"), d.get("start1")), _aware(d.get("day1"), d.get("end1"))),
            (_aware(d.get("day2"), d.get("start2")), _aware(d.get("day2"), d.get("end2"))),
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=300, required=False)
