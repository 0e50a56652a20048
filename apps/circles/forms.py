from django import forms
from django.utils.translation import gettext_lazy as _


class HandoverForm(forms.Form):
    """Any professional in the circle can become the coordinator: school staff, or an outside professional
    who is in through a consent (a gezinscoach often is the procesregisseur)."""

    member = forms.ChoiceField(label=_("Nieuw aanspreekpunt"))
    note = forms.CharField(
        label=_("Overdrachtsnotitie voor de familie"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Wie neemt het over, wat is er afgesproken, wat blijft hetzelfde?"),
    )

    def __init__(self, *args, child, members, **kwargs):
        super().__init__(*args, **kwargs)
        self._members = {}
        for m in members:
            if m.is_coordinator:
                continue
            key = f"row:{m.pk}" if not getattr(m, "via_consent", False) else f"user:{m.user.pk}"
            self._members[key] = m
        self.fields["member"].choices = [
            (key, f"{m.user} ({m.role}{', ' + m.organisation_name if m.organisation_name else ''})")
            for key, m in self._members.items()
        ]

    def clean_member(self):
        return self._members[self.cleaned_data["member"]]


class DeclareAuthorityForm(forms.Form):
    """One yes/no question per child: "Heeft u ouderlijk gezag over <kind>?"."""

    CHOICES = [("yes", _("Ja, ik heb gezag")), ("no", _("Nee, ik heb geen gezag"))]

    def __init__(self, *args, guardianships, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardianships = list(guardianships)
        for g in self.guardianships:
            self.fields[f"gezag_{g.pk}"] = forms.ChoiceField(
                label=_("Heeft u ouderlijk gezag over %(child)s?") % {"child": g.child.full_name},
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Kies ja of nee.")},
            )

    def answers(self) -> dict[int, bool]:
        return {g.pk: self.cleaned_data[f"gezag_{g.pk}"] == "yes" for g in self.guardianships}


class InformationRequestForm(forms.Form):
    """A parent without gezag asks the school for information (BW 1:377c)."""

    child = forms.TypedChoiceField(label=_("Over welk kind?"), coerce=int)
    question = forms.CharField(
        label=_("Welke informatie wilt u?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        required=False,
        help_text=_("Bijvoorbeeld: hoe gaat het met lezen en rekenen, hoe gaat het in de klas?"),
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        # First names only: the parent knows the child; the file's details come only with a grant.
        self.fields["child"].choices = [(c.pk, c.first_name) for c in children]


class InformationDecisionForm(forms.Form):
    """The school's decision on a request, always with a reason against the legal grounds."""

    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("grant", _("Informatie geven")), ("refuse", _("Geen informatie geven"))],
        widget=forms.RadioSelect,
    )
    ground = forms.ChoiceField(label=_("Grond (art. 1:377c BW)"), required=False)
    reason = forms.CharField(
        label=_("Toelichting voor de ouder"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )

    def __init__(self, *args, **kwargs):
        from .models import InformationRequest

        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [("", "—"), *InformationRequest.Ground.choices]
