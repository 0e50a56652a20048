from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.widgets import DateTimeInput, TimeInput
from apps.organisations.models import Group

from .keys import SevenKey
from .models import ActionItem, AgendaItem, CommunityMember, GroupingWish, Invitation, Meeting, Theme


class MeetingForm(forms.ModelForm):
    use_template = forms.BooleanField(
        label=_("Begin met het draaiboek (checklist en agenda uit het draaiboek ouderbijeenkomst)"),
        required=False,
        initial=True,
    )

    class Meta:
        model = Meeting
        fields = ["school", "kind", "title", "starts_at", "location", "rsvp_deadline", "invitation_text"]
        widgets = {"starts_at": DateTimeInput(), "rsvp_deadline": DateTimeInput()}

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()


class MeetingEditForm(forms.ModelForm):
    """The details of an existing meeting; `version` detects someone else's change in between."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "location", "rsvp_deadline", "invitation_text"]
        widgets = {"starts_at": DateTimeInput(), "rsvp_deadline": DateTimeInput()}


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["start", "duration", "who", "topic", "remark"]
        widgets = {"start": TimeInput()}


class AgendaItemEditForm(AgendaItemForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["title", "questions"]
        widgets = {"questions": forms.Textarea(attrs={"rows": 3})}


class InviteForm(forms.Form):
    AUDIENCES = [
        ("class", _("ouders van één groep")),
        ("year", _("ouders van één jaargroep")),
        ("all", _("alle ouders van de school")),
        ("staff", _("schoolpersoneel")),
        ("partners", _("partners (CJG en andere jeugdhulp)")),
        ("pupils", _("leerlingenraad (kies de leerlingen hieronder)")),
    ]
    audience = forms.ChoiceField(label=_("Wie nodigt u uit?"), choices=AUDIENCES)
    group = forms.ModelChoiceField(label=_("Groep"), queryset=Group.objects.none(), required=False)
    year_level = forms.IntegerField(label=_("Jaargroep"), min_value=1, max_value=8, required=False)
    pupils = forms.ModelMultipleChoiceField(
        label=_("Leden van de leerlingenraad (leerlingen met een eigen account)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, school, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(school=school)
        self.fields["pupils"].queryset = pupils
        self.fields["pupils"].label_from_instance = lambda u: u.full_name or u.email

    def clean(self):
        data = super().clean()
        if data.get("audience") == "class" and not data.get("group"):
            self.add_error("group", _("Kies de groep."))
        if data.get("audience") == "year" and not data.get("year_level"):
            self.add_error("year_level", _("Kies de jaargroep."))
        if data.get("audience") == "pupils" and not data.get("pupils"):
            self.add_error("pupils", _("Kies de leerlingen van de leerlingenraad."))
        return data


class RsvpForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Komt u?"),
        choices=[(Invitation.Reply.YES, _("Ja, ik kom")), (Invitation.Reply.NO, _("Nee, ik kom niet"))],
        widget=forms.RadioSelect,
    )


class DivideForm(forms.Form):
    n_groups = forms.IntegerField(label=_("Aantal tafels"), min_value=1, max_value=200, initial=4)


class WishForm(forms.Form):
    first = forms.ModelChoiceField(label=_("Persoon 1"), queryset=Invitation.objects.none())
    second = forms.ModelChoiceField(label=_("Persoon 2"), queryset=Invitation.objects.none())
    kind = forms.ChoiceField(label=_("Wens"), choices=GroupingWish.Kind.choices)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        qs = meeting.invitations.select_related("user")
        for name in ("first", "second"):
            self.fields[name].queryset = qs
            self.fields[name].label_from_instance = lambda i: i.user.full_name or i.user.email


class NotesForm(forms.Form):
    notes = forms.CharField(label=_("Aantekeningen van deze tafel"), widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    text = forms.CharField(label=_("Wat zeiden de ouders?"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Actie"), max_length=300)
    principles = forms.CharField(
        label=_("Werkprincipes (gescheiden door komma's)"),
        required=False,
        help_text=_("Bijvoorbeeld: korte lijntjes, mét het kind"),
    )
    owner = forms.ModelChoiceField(label=_("Eigenaar"), queryset=None)
    theme = forms.ModelChoiceField(label=_("Thema"), queryset=None, required=False)
    key = forms.ChoiceField(
        label=_("Sleutel (een van de zeven sleutels)"), choices=[("", "—"), *SevenKey.choices], required=False
    )

    def __init__(self, *args, owners, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["theme"].queryset = themes
        self.fields["owner"].label_from_instance = lambda u: u.full_name or u.email


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("Wat is er gebeurd?"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CommunityForm(forms.Form):
    name = forms.CharField(label=_("Naam van de leergemeenschap"), max_length=200)
    goal = forms.CharField(label=_("Doel"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    planned_sessions = forms.IntegerField(label=_("Aantal bijeenkomsten"), min_value=1, max_value=50, initial=8)


class MemberForm(forms.Form):
    """Name a member: someone of the school from the list, or (a researcher, a process facilitator from
    outside) an existing account by e-mail address."""

    person = forms.ModelChoiceField(label=_("Persoon van de school"), queryset=None, required=False)
    email = forms.EmailField(
        label=_("Of: e-mailadres (voor iemand van buiten de school)"),
        required=False,
        help_text=_("Bijvoorbeeld de procesbegeleider of de onderzoeker. Die persoon heeft al een account."),
    )
    role = forms.ChoiceField(label=_("Rol in de leergemeenschap"), choices=CommunityMember.Role.choices)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda u: u.full_name or u.email

    def clean(self):
        from apps.accounts.models import User

        data = super().clean()
        if data.get("person") is None and not data.get("email"):
            raise forms.ValidationError(_("Kies een persoon of vul een e-mailadres in."))
        if data.get("person") is None and data.get("email"):
            user = User.objects.filter(email__iexact=data["email"], is_active=True).first()
            if user is None:
                self.add_error("email", _("Er is geen account met dit e-mailadres. Nodig de persoon eerst uit."))
            data["person"] = user
        return data


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Titel (leeg: Bijeenkomst en het nummer)"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Datum en begintijd"), widget=DateTimeInput())
    rsvp_deadline = forms.DateTimeField(label=_("Aanmelden kan tot"), widget=DateTimeInput())
    location = forms.CharField(label=_("Plaats"), max_length=200, required=False)


class NamedInviteForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("Nodig deze personen uit"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Bijvoorbeeld vijf ouders en de CJG-medewerker. Houd Ctrl (of Cmd) ingedrukt om er meer te kiezen."
        ),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda u: u.full_name or u.email


class RestartForm(forms.Form):
    new_owner = forms.ModelChoiceField(label=_("Nieuwe eigenaar"), queryset=None)
    text = forms.CharField(
        label=_("Wat is de volgende stap?"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = owners
        self.fields["new_owner"].label_from_instance = lambda u: u.full_name or u.email
