from django import forms
from django.utils.translation import gettext_lazy as _

from apps.consent.models import Category
from apps.timeline.forms import DateInput

from ..groei_models import Groeidocument, LifeDomain
from . import rules


def _area(label, rows=3):
    return forms.CharField(label=label, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": rows}))


class StartForm(forms.Form):
    request_kind = forms.ChoiceField(
        label=_("Wat vraagt de school aan bij het samenwerkingsverband?"),
        choices=Groeidocument.Request.choices,
        required=False,
    )


class SchoolPartForm(forms.Form):
    school_question = _area(_("Vraag van de school"))
    school_view = _area(_("Wat ziet de school? Wat helpt en wat belemmert?"), 4)
    needs = _area(_("Wat heeft het kind nodig?"))
    request_kind = forms.ChoiceField(
        label=_("Aanvraag bij het samenwerkingsverband"), choices=Groeidocument.Request.choices, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ParentsPartForm(forms.Form):
    parents_view = _area(_("Hoe ziet u het thuis? Wat gaat goed, wat is moeilijk?"), 4)
    parents_question = _area(_("Wat is uw vraag?"), 3)


class MdoForm(forms.Form):
    conversation = forms.ModelChoiceField(
        label=_("Gesprek in Driehoek"), queryset=None, required=False, empty_label=_("(geen: vul de datum in)")
    )
    mdo_on = forms.DateField(label=_("Datum van het MDO"), widget=DateInput(), required=False)
    participants = forms.CharField(label=_("Wie zijn erbij?"), max_length=500, required=False)

    def __init__(self, *args, child, **kwargs):
        from apps.conversations.models import Conversation

        super().__init__(*args, **kwargs)
        self.fields["conversation"].queryset = Conversation.objects.filter(child=child, cancelled_at__isnull=True)
        self.fields["conversation"].label_from_instance = lambda c: f"{c.starts_at:%d-%m-%Y %H:%M} — {c.purpose}"


class ReportForm(forms.Form):
    report = _area(_("Verslag van het MDO: wat is besproken?"), 5)


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Waarom is het groeidocument klaar?"), max_length=500, required=False)
    sure = forms.BooleanField(label=_("Ja, sluit het groeidocument. Dit kan niet ongedaan worden."), required=False)


class ExportConsentForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Wat mag mee naar het samenwerkingsverband?"),
        choices=[(c, Category(c).label) for c in rules.EXPORTABLE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class FamilyGoalForm(forms.Form):
    life_domain = forms.ChoiceField(label=_("Levensgebied"), choices=[("", "—"), *LifeDomain.choices], required=False)
    text = forms.CharField(
        label=_("Ons doel, in onze eigen woorden"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    goal = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
