from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.consent.models import Category
from apps.organisations.models import CareOrganisation, School

from .models import Referral
from .selectors import outside_staff, role_title


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("Wie van uw organisatie werkt met dit kind?"), queryset=User.objects.none())

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        staff = list(outside_staff([organisation.pk]))
        titles = {m.user_id: role_title(m) for m in staff}
        self.fields["worker"].queryset = User.objects.filter(pk__in=titles).order_by("full_name")
        self.fields["worker"].label_from_instance = lambda u: f"{u} — {titles.get(u.pk, '')}"


class JoinRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Namens"), queryset=CareOrganisation.objects.none())
    first_name = forms.CharField(label=_("Roepnaam van het kind"), max_length=100)
    last_name = forms.CharField(label=_("Achternaam van het kind"), max_length=150)
    date_of_birth = forms.DateField(label=_("Geboortedatum"), widget=forms.DateInput(attrs={"type": "date"}))
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.filter(active=True).order_by("name"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = CareOrganisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=300)


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Naar welke organisatie verwijst u?"),
        queryset=CareOrganisation.objects.filter(active=True).exclude(kind=CareOrganisation.Kind.LEERPLICHT),
    )
    reason = forms.CharField(
        label=_("Reden van de verwijzing"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    question = forms.CharField(
        label=_("Hulpvraag: waar moet de organisatie mee helpen?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tried = forms.CharField(
        label=_("Wat is al geprobeerd?"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.ChoiceField(label=_("Urgentie"), choices=Referral.Urgency.choices, initial=Referral.Urgency.NORMAL)
    categories = forms.MultipleChoiceField(
        label=_("Welke informatie gaat verder mee?"),
        help_text=_(
            "Basisgegevens en ondersteuning gaan altijd mee. De familie geeft toestemming voor precies deze informatie."
        ),
        choices=[(c.value, c.label) for c in Category if c.value not in ("basic", "support")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ReferralAssignForm(AssignForm):
    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["worker"].label = _("Wie gaat met dit kind werken?")


class ThreeWayForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Voorgesteld moment"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Plaats"), max_length=200, initial=_("op school"))
