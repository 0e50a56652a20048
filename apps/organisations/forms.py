"""Forms for the platform and staff pages. Validation of BRIN, duplicates and roles lives in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SCHOOL_ROLES, Board, CareOrganisation, Group


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)


class BoardForm(forms.Form):
    name = forms.CharField(label=_("Naam van het bestuur"), max_length=200)


class SchoolForm(forms.Form):
    name = forms.CharField(label=_("Naam van de school"), max_length=200)
    brin = forms.CharField(
        label=_("BRIN-nummer"), max_length=4, help_text=_("Twee cijfers en twee letters, bijvoorbeeld 12AB.")
    )
    vestiging = forms.CharField(
        label=_("Vestiging"), max_length=2, initial="00", help_text=_("Twee cijfers; 00 is de hoofdvestiging.")
    )
    city = forms.CharField(label=_("Plaats"), max_length=100, required=False)
    board = forms.ModelChoiceField(
        label=_("Bestuur"), queryset=Board.objects.filter(active=True), required=False, empty_label=_("geen bestuur")
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Naam van de organisatie"), max_length=200)
    kind = forms.ChoiceField(label=_("Soort"), choices=CareOrganisation.Kind.choices)
    city = forms.CharField(label=_("Plaats of gemeente"), max_length=100, required=False)


class AdministratorInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres van de beheerder"))
    role = forms.ChoiceField(label=_("Rol"))

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]


class ConfirmForm(forms.Form):
    """A confirmation step before deactivating: nothing happens on a plain GET."""

    confirm = forms.BooleanField(label=_("Ja, ik weet het zeker"))


class StaffForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(label=_("Rol"), choices=[(r.value, r.label) for r in SCHOOL_ROLES])
    groups = forms.ModelMultipleChoiceField(
        label=_("Groepen (dit schooljaar)"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["groups"].queryset = groups


class OrganisationStaffForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(label=_("Rol"))

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]


class StaffChangeForm(StaffForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["email"]


class RemoveStaffForm(forms.Form):
    """Confirmation, and for every child this person coordinates: who takes over, and a handover note."""

    confirm = forms.BooleanField(label=_("Ja, beëindig de toegang van deze medewerker"))

    def __init__(self, *args, children=(), candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children)
        for child in self.children:
            self.fields[f"coordinator_{child.pk}"] = forms.ModelChoiceField(
                label=_("Nieuw aanspreekpunt voor %(child)s") % {"child": child.full_name}, queryset=candidates
            )
            self.fields[f"note_{child.pk}"] = forms.CharField(
                label=_("Overdrachtsnotitie voor de familie van %(child)s") % {"child": child.first_name},
                widget=forms.Textarea(attrs={"rows": 3}),
                min_length=10,
            )

    def handover_fields(self):
        return [(child, self[f"coordinator_{child.pk}"], self[f"note_{child.pk}"]) for child in self.children]
