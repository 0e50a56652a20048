from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.widgets import DateInput
from apps.organisations.models import OUTSIDE_ROLES, CareOrganisation

from .models import Category


class ConsentForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Aan welke organisatie?"), queryset=CareOrganisation.objects.all())
    grantee = forms.ModelChoiceField(
        label=_("Aan wie precies? (optioneel)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Leeg laten: iedereen van deze organisatie die in de kring van uw kind zit."),
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
        self.fields["grantee"].queryset = (
            User.objects.filter(memberships__role__in=[r.value for r in OUTSIDE_ROLES], memberships__active=True)
            .distinct()
            .order_by("full_name")
        )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("De einddatum ligt vóór de ingangsdatum."))
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
