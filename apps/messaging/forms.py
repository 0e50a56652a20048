from django import forms
from django.utils.translation import gettext_lazy as _

from apps.consent.models import Category
from apps.translation.forms import VersionLanguageField

from .models import Announcement, AnnouncementVersion, Message, NotificationSetting


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Bericht"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    tag = forms.ChoiceField(
        label=_("Soort bericht"),
        choices=[
            ("", _("gewoon bericht")),
            (Message.Tag.POSITIVE, _("positief (goed nieuws)")),
            (Message.Tag.CONCERN, _("zorg")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    attachment = forms.FileField(
        label=_("Bijlage (foto of PDF, hoogstens 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"}),
    )


class ThreadForm(MessageForm):
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    category = forms.ChoiceField(
        label=_("Soort informatie"),
        help_text=_("Bepaalt wie het gesprek kan lezen: jeugdhulp alleen met toestemming voor deze soort."),
    )
    field_order = ["subject", "category", "body", "tag", "attachment"]

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c, Category(c).label) for c in categories]


class SettingForm(forms.ModelForm):
    class Meta:
        model = NotificationSetting
        fields = ["email_interval_minutes"]
        labels = {"email_interval_minutes": _("Hoe vaak wilt u hoogstens een e-mail over nieuwe berichten?")}
        widgets = {
            "email_interval_minutes": forms.Select(
                choices=[
                    (15, _("hoogstens één per kwartier")),
                    (60, _("hoogstens één per uur")),
                    (240, _("hoogstens één per 4 uur")),
                    (1440, _("hoogstens één per dag")),
                    (0, _("geen e-mail, alleen in de app")),
                ]
            )
        }


class AnnouncementForm(forms.ModelForm):
    target = forms.ChoiceField(label=_("Voor wie"))

    class Meta:
        model = Announcement
        fields = ["title", "body", "requires_confirmation", "is_newsletter"]
        labels = {"title": _("Titel"), "body": _("Tekst")}
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    field_order = ["target", "title", "body", "requires_confirmation", "is_newsletter"]

    def __init__(self, *args, targets=(), allow_newsletter=False, allow_announcement=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets
        if not allow_newsletter:
            del self.fields["is_newsletter"]
        elif not allow_announcement:
            self.fields["is_newsletter"].initial = True
            self.fields["is_newsletter"].disabled = True


class AnnouncementVersionForm(forms.ModelForm):
    """The announcement written by hand in another language (docs/translation.md)."""

    language = VersionLanguageField()

    class Meta:
        model = AnnouncementVersion
        fields = ["language", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
