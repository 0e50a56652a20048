from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CircleMember


class HandoverForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Nieuw aanspreekpunt"), queryset=CircleMember.objects.none())
    note = forms.CharField(
        label=_("Overdrachtsnotitie voor de familie"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Wie neemt het over, wat is er afgesproken, wat blijft hetzelfde?"),
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = child.circle.current().filter(is_coordinator=False).select_related("user")
        self.fields["member"].label_from_instance = lambda m: f"{m.user} ({m.role})"


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
