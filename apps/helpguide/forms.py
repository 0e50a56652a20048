from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.widgets import DateInput
from apps.translation.forms import VersionLanguageField

from .models import HelpGuide, HelpQuestion, SchoolHoliday, Step, StepVersion, Topic

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX = 2 * 1024 * 1024


class VersionedForm(forms.ModelForm):
    """Carries the version the editor started from, so a later save never silently overwrites. A model
    without a version (a topic) is saved as before: opening its edit page used to fail with a server error."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.versioned = hasattr(self.instance, "version")
        if not self.versioned:
            del self.fields["version"]
        elif self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if not self.versioned:
            return data
        if self.instance.pk and data.get("version") is not None and data["version"] != self.instance.version:
            raise forms.ValidationError(
                _("Iemand anders heeft dit net gewijzigd. Laad de pagina opnieuw en voer uw wijziging nog eens in.")
            )
        return data

    def save(self, commit=True):
        obj = super().save(commit=False)
        if obj.pk and self.versioned:
            obj.version += 1
        if commit:
            obj.save()
        return obj


class GuideForm(VersionedForm):
    class Meta:
        model = HelpGuide
        fields = ["intro", "child_intro", "ack_school_days"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3}), "child_intro": forms.Textarea(attrs={"rows": 3})}

    def clean_ack_school_days(self):
        days = self.cleaned_data["ack_school_days"]
        if not 1 <= days <= 10:
            raise forms.ValidationError(_("Kies tussen 1 en 10 schooldagen."))
        return days


class StepForm(VersionedForm):
    class Meta:
        model = Step
        fields = [
            "order",
            "title",
            "person_name",
            "role",
            "photo",
            "how_to_reach",
            "when_reachable",
            "languages",
            "description",
            "what_next",
            "child_title",
            "child_text",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "what_next": forms.Textarea(attrs={"rows": 3}),
            "child_text": forms.Textarea(attrs={"rows": 3}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def clean_photo(self):
        """Same checks as message attachments (content, extension, size), re-encoded without EXIF."""
        from django.core.exceptions import ValidationError

        from apps.messaging.rules import prepare_attachment

        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload
            if photo.size > PHOTO_MAX:
                raise forms.ValidationError(_("De foto is te groot; het maximum is 2 MB."))
            try:
                content_type, content = prepare_attachment(photo)
            except ValidationError as e:
                raise forms.ValidationError(_("Dit is geen foto. Kies een JPG- of PNG-bestand.")) from e
            if content_type not in PHOTO_TYPES:
                raise forms.ValidationError(_("Dit is geen foto. Kies een JPG- of PNG-bestand."))
            content.name = "foto." + {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[content_type]
            return content
        return photo


class TopicForm(VersionedForm):
    class Meta:
        model = Topic
        fields = ["name", "handler", "order", "active"]

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        # School staff, and outside professionals who work with pupils of this school (e.g. the CJG).
        self.fields["handler"].queryset = (
            User.objects.filter(
                Q(memberships__school=school, memberships__active=True)
                | Q(circles__child__school=school, memberships__organisation__isnull=False)
            )
            .distinct()
            .order_by("full_name")
        )


class QuestionForm(forms.ModelForm):
    class Meta:
        model = HelpQuestion
        fields = ["topic", "child", "text", "preferred_contact", "contact_detail", "interpreter", "language"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5}), "preferred_contact": forms.RadioSelect}
        labels = {"child": _("Over welk kind gaat het? (mag leeg)")}

    def __init__(self, *args, guide=None, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = guide.topics.filter(active=True) if guide else Topic.objects.none()
        self.fields["topic"].empty_label = None
        ids = [c.pk for c in children]
        self.fields["child"].queryset = self.fields["child"].queryset.filter(pk__in=ids)
        if not ids:
            del self.fields["child"]
        self.fields["text"].max_length = 4000


class HolidayForm(forms.ModelForm):
    class Meta:
        model = SchoolHoliday
        fields = ["name", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("De laatste vakantiedag ligt vóór de eerste."))
        return data


class StepVersionForm(forms.ModelForm):
    """A step written by hand in another language (docs/translation.md)."""

    language = VersionLanguageField()

    class Meta:
        model = StepVersion
        fields = ["language", "title", "description", "what_next"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "what_next": forms.Textarea(attrs={"rows": 4})}
