from allauth.usersessions.forms import ManageUserSessionsForm
from allauth.usersessions.models import UserSession
from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from apps.circles.models import Guardianship

from .models import Invite


class AcceptInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Uw naam"), max_length=150)
    password1 = forms.CharField(
        label=_("Kies een wachtwoord"), widget=forms.PasswordInput, strip=False, help_text=_("Minstens 12 tekens.")
    )
    password2 = forms.CharField(label=_("Herhaal het wachtwoord"), widget=forms.PasswordInput, strip=False)
    # The first log-in: the language everything is sent in, each language in its own name (docs/languages.md).
    language = forms.ChoiceField(
        label=_("Kies uw taal"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Berichten en e-mails van Driehoek krijgt u in deze taal. U kunt dit altijd veranderen."),
    )

    def __init__(self, *args, email="", **kwargs):
        from django.utils import translation

        self.email = email
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = translation.get_language()

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De wachtwoorden zijn niet gelijk."))
        if p1:
            from .models import User

            try:
                validate_password(p1, User(email=self.email, full_name=data.get("full_name", "")))
            except forms.ValidationError as e:
                self.add_error("password1", e)
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"))
    kind = forms.ChoiceField(label=_("Voor wie"), choices=Invite.Kind.choices, initial=Invite.Kind.GUARDIAN)
    relation = forms.ChoiceField(label=_("Relatie"), choices=Guardianship.Relation.choices, required=False)
    has_authority = forms.BooleanField(label=_("Heeft ouderlijk gezag"), required=False, initial=True)


class EndSessionsForm(ManageUserSessionsForm):
    """allauth's "log out everywhere else", plus ending one chosen session; only the user's own can be chosen."""

    session = forms.ModelChoiceField(queryset=UserSession.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = UserSession.objects.filter(user_id=self.request.user.pk)

    def save(self, request) -> int:
        from . import services

        return services.end_own_sessions(request, self.cleaned_data["session"])
