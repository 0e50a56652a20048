from django import forms
from django.utils.translation import gettext_lazy as _

from apps.timeline.forms import DateInput


def _area(label, rows=3, required=False):
    return forms.CharField(label=label, required=required, max_length=5000, widget=forms.Textarea(attrs={"rows": rows}))


class StartForm(forms.Form):
    needed_since = forms.DateField(
        label=_("Datum van het besluit dat de leerling extra ondersteuning nodig heeft (of van de inschrijving)"),
        widget=DateInput(),
        required=False,
    )


class PerspectiveForm(forms.Form):
    outflow_destination = forms.CharField(label=_("Verwachte uitstroombestemming"), max_length=200, required=False)
    outflow_reasons = _area(_("Waarom deze bestemming?"))
    hindering_child = _area(_("Wat belemmert: bij het kind"), 2)
    hindering_school = _area(_("Wat belemmert: op school"), 2)
    hindering_home = _area(_("Wat belemmert: thuis"), 2)
    supporting_child = _area(_("Wat helpt: bij het kind"), 2)
    supporting_school = _area(_("Wat helpt: op school"), 2)
    supporting_home = _area(_("Wat helpt: thuis"), 2)
    deviations = _area(_("Afwijkingen van het reguliere programma"), 2)
    oogo_held_on = forms.DateField(label=_("Overleg met de ouders gehouden op"), widget=DateInput(), required=False)
    oogo_record = _area(_("Verslag van het overleg met de ouders"), 4)
    version = forms.IntegerField(widget=forms.HiddenInput)


class SupportLineForm(forms.Form):
    what = forms.CharField(label=_("Welke ondersteuning?"), max_length=500, required=False)
    who = forms.CharField(label=_("Wie geeft die?"), max_length=200, required=False)
    how_often = forms.CharField(label=_("Hoe vaak?"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Vanaf"), widget=DateInput(), required=False)


class ProposeForm(forms.Form):
    note = forms.CharField(
        label=_("Wat verandert er? (bij een nieuwe versie)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(
        label=_("Uw antwoord"),
        choices=[("consent", _("Ik stem in met dit handelingsdeel")), ("decline", _("Ik stem niet in"))],
        widget=forms.RadioSelect,
    )
    reason = _area(_("Waarom niet? (verplicht als u niet instemt)"), 3)


class ViewTextForm(forms.Form):
    text = _area(_("Uw tekst"), 4)


class PupilViewForm(forms.Form):
    text = _area(_("Wat vind jij van je plan? Wat helpt je, wat wil je anders?"), 4)


class BronForm(forms.Form):
    started_on = forms.DateField(label=_("Startdatum (BRON)"), widget=DateInput(), required=False)
    ended_on = forms.DateField(label=_("Einddatum (BRON)"), widget=DateInput(), required=False)


class EvaluationForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Datum en tijd van de evaluatie"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        required=False,
    )
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False)
