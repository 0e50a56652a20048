from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.widgets import DateInput
from apps.organisations.models import CareOrganisation
from apps.referrals.selectors import outside_staff, professional_label

from .models import Category


class ConsentForm(forms.Form):
    """Organisation first, then (optionally) one person of it, each shown with what they do and where."""

    organisation = forms.ModelChoiceField(
        label=_("Aan welke organisatie?"), queryset=CareOrganisation.objects.filter(active=True), required=False
    )
    # A consent to the school: what youth care recorded in these categories reaches the school's staff
    # (docs/record-owner.md). Instead of an organisation, never beside one.
    to_school = forms.BooleanField(
        label=_("Aan de school van uw kind"),
        required=False,
        help_text=_(
            "Vink dit aan als de school mag zien wat de jeugdhulp of de jeugdarts over uw kind vastlegt, "
            "voor de soorten informatie die u hieronder kiest. Kies dan geen organisatie."
        ),
    )
    grantee = forms.ChoiceField(
        label=_("Aan wie van die organisatie? (optioneel)"),
        required=False,
        help_text=_(
            "Kiest u een persoon, dan ziet alleen die persoon wat u aanvinkt, en daarbij ook de basisgegevens "
            "en de kring van uw kind (naam, school, groep en wie er om uw kind heen staan), zodat hij of zij "
            "uw kind kan vinden. Kiest u niemand, dan wijst de organisatie zelf iemand aan; u ziet in de kring "
            "wie dat is, en ook die persoon ziet de basisgegevens en de kring."
        ),
    )
    categories = forms.MultipleChoiceField(
        label=_("Welke informatie mag gedeeld worden?"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één soort informatie.")},
    )
    purpose = forms.CharField(label=_("Waarvoor? (optioneel)"), max_length=300, required=False)
    starts_on = forms.DateField(label=_("Vanaf"), widget=DateInput, initial=timezone.localdate)
    ends_on = forms.DateField(label=_("Tot en met (optioneel)"), widget=DateInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        self._people = {}
        self._grantee_org = None
        for m in outside_staff():
            key = f"{m.organisation_id}:{m.user_id}"
            self._people[key] = m
            groups.setdefault(str(m.organisation), []).append((key, professional_label(m)))
        self.fields["grantee"].choices = [("", _("Niemand in het bijzonder: de organisatie kiest"))] + list(
            groups.items()
        )

    def clean_grantee(self):
        membership = self._people.get(self.cleaned_data.get("grantee") or "")
        self._grantee_org = membership.organisation_id if membership else None
        return membership.user if membership else None

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("De einddatum ligt vóór de ingangsdatum."))
        organisation = data.get("organisation")
        if bool(organisation) == bool(data.get("to_school")):
            self.add_error("organisation", _("Kies een organisatie, of vink de school aan (niet allebei)."))
        if data.get("to_school") and data.get("grantee"):
            self.add_error("grantee", _("Toestemming aan de school geldt voor de school, niet voor één persoon."))
        if data.get("grantee") and organisation and self._grantee_org != organisation.pk:
            self.add_error(
                "grantee", _("Deze persoon werkt niet bij de gekozen organisatie. Kies eerst de organisatie.")
            )
        if starts and starts < timezone.localdate():
            self.add_error("starts_on", _("Toestemming kan niet met terugwerkende kracht ingaan."))
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reden (optioneel)"), max_length=300, required=False)


class ParentViewForm(forms.Form):
    """The young person's choice (from 16) per category: do my parents see this?"""

    CHOICES = [("shared", _("Ja, mijn ouders mogen dit zien")), ("hidden", _("Nee, dit houd ik voor mezelf"))]

    health = forms.ChoiceField(label=_("Gezondheid en verzuim"), choices=CHOICES, widget=forms.RadioSelect)
    support = forms.ChoiceField(label=_("Ondersteuning en plan"), choices=CHOICES, widget=forms.RadioSelect)
