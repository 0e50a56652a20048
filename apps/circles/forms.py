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
