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
