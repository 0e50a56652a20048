from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User

from .selectors import outside_staff, role_title


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("Wie van uw organisatie werkt met dit kind?"), queryset=User.objects.none())

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        staff = list(outside_staff([organisation.pk]))
        titles = {m.user_id: role_title(m) for m in staff}
        self.fields["worker"].queryset = User.objects.filter(pk__in=titles).order_by("full_name")
        self.fields["worker"].label_from_instance = lambda u: f"{u} — {titles.get(u.pk, '')}"
