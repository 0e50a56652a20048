from datetime import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Kind, Participant


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        """The name, and for whom it matters the person's language and interpreter need (docs/languages.md)."""
        from apps.accounts.languages import DEFAULT, language_of, offered

        name = obj.full_name or obj.email
        code = language_of(obj)
        if obj.interpreter_wanted:
            return _("%(name)s (taal: %(language)s, wil een tolk)") % {"name": name, "language": offered()[code]}
        if code != DEFAULT:
            return _("%(name)s (taal: %(language)s)") % {"name": name, "language": offered()[code]}
        return name


class InterpreterForm(forms.Form):
    name = forms.CharField(label=_("Naam van de tolk of het tolkenbureau"), max_length=200)
    language = forms.ChoiceField(label=_("Taal"), choices=())

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(c, n) for c, n in settings.LANGUAGES if c != settings.LANGUAGE_CODE]


class ConversationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort gesprek"), choices=Kind.choices)
    purpose = forms.CharField(
        label=_("Doel van het gesprek"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht. Dit staat in de uitnodiging, zodat iedereen weet waarover het gaat."),
    )
    day = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Tijd"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("Duur in minuten"), initial=30, min_value=5, max_value=240)
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Of een videolink"), required=False)
    participants = PersonChoiceField(
        label=_("Wie nodigt u uit?"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    child_invited = forms.BooleanField(label=_("Het kind is erbij"), required=False)
    child_not_invited_reason = forms.CharField(
        label=_("Waarom is het kind er niet bij?"), max_length=300, required=False
    )

    def __init__(self, *args, people=(), child_default=True, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:  # only the kinds this person may plan for this child
            self.fields["kind"].choices = [(k, label) for k, label in Kind.choices if k in kinds]
        self.fields["participants"].queryset = get_user_model().objects.filter(pk__in=[p.pk for p in people])
        self.fields["participants"].initial = [p.pk for p in people]
        self.fields["child_invited"].initial = child_default

    def starts_at(self):
        day, time = self.cleaned_data.get("day"), self.cleaned_data.get("time")
        if not day or not time:
            return None
        return timezone.make_aware(datetime.combine(day, time))


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Komt u?"),
        choices=[
            (Participant.Rsvp.YES, _("Ja, ik kom")),
            (Participant.Rsvp.NO, _("Nee, ik kan niet")),
            (Participant.Rsvp.MAYBE, _("Misschien, ik weet het nog niet")),
        ],
        widget=forms.RadioSelect,
    )


class RecordForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(label=_("Aantekeningen"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    went_well = forms.CharField(label=_("Wat ging goed"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    concerns = forms.CharField(label=_("Zorgen"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(forms.Form):
    what = forms.CharField(label=_("Wat spreken we af?"), max_length=500, required=False)
    owner = forms.ModelChoiceField(label=_("Wie doet het?"), queryset=get_user_model().objects.none(), required=False)
    due = forms.DateField(label=_("Uiterlijk op"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(pk__in=[p.pk for p in people])
        self.fields["owner"].label_from_instance = lambda u: u.full_name or u.email


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Terugkoppeling aan iedereen"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Waarom gaat het gesprek niet door?"), max_length=300, required=False)


class RescheduleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(label=_("Nieuwe datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Nieuwe tijd"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("Duur in minuten"), min_value=5, max_value=240)
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Of een videolink"), required=False)

    def starts_at(self):
        day, time = self.cleaned_data.get("day"), self.cleaned_data.get("time")
        return timezone.make_aware(datetime.combine(day, time)) if day and time else None
