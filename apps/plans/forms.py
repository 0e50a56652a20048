from django import forms
from django.utils.translation import gettext_lazy as _

from apps.timeline.forms import DateInput

from .models import AgreementStatus, FamilyGoal, Goal, LifeDomain
from .services import circle_users, owner_roles


class PersonChoiceField(forms.ModelChoiceField):
    roles: dict = {}

    def label_from_instance(self, obj):
        name = obj.full_name or obj.email
        role = self.roles.get(obj.pk)
        return f"{name} ({role})" if role else name


class AgreementForm(forms.Form):
    what = forms.CharField(label=_("Wat spreken we af?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    owner = PersonChoiceField(
        label=_("Wie doet het?"),
        queryset=None,
        required=False,
        empty_label=_("— kies iemand uit de kring —"),
    )
    due = forms.DateField(label=_("Uiterlijk op"), widget=DateInput(), required=False)
    goal = forms.ModelChoiceField(label=_("Hoort bij doel"), queryset=None, required=False, empty_label=_("(geen)"))

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, prefix="afspraak", **kwargs)
        self.fields["owner"].queryset = circle_users(child)
        self.fields["owner"].roles = owner_roles(child)
        self.fields["goal"].queryset = Goal.objects.filter(child=child)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Doel (zoals de professional het schrijft)"), max_length=500)
    child_words = forms.CharField(
        label=_("Wat wil ik leren? (in de woorden van het kind)"), max_length=500, required=False
    )
    evaluate_on = forms.DateField(label=_("Evalueren op"), widget=DateInput(), required=False)
    life_domain = forms.ChoiceField(
        label=_("Levensgebied"), choices=[("", _("(geen)")), *LifeDomain.choices], required=False
    )
    family_goal = forms.ModelChoiceField(
        label=_("Bouwt op dit doel van het gezin"), queryset=None, required=False, empty_label=_("(geen)")
    )

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, prefix="doel", **kwargs)
        family = FamilyGoal.objects.filter(child=child) if child is not None else FamilyGoal.objects.none()
        self.fields["family_goal"].queryset = family
        if child is None or not family.exists():
            del self.fields["family_goal"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)
    reason = forms.CharField(label=_("Reden (verplicht bij vervallen)"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class GoalEditForm(forms.Form):
    text = forms.CharField(label=_("Doel (zoals de professional het schrijft)"), max_length=500)
    child_words = forms.CharField(
        label=_("Wat wil ik leren? (in de woorden van het kind)"), max_length=500, required=False
    )
    evaluate_on = forms.DateField(label=_("Evalueren op"), widget=DateInput(), required=False)
    evaluation = forms.CharField(
        label=_("Evaluatie: wat ging goed, wat is nog nodig?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AgreementEditForm(forms.Form):
    """Change what was agreed, who does it and by when; `version` detects someone else's change."""

    what = forms.CharField(label=_("Wat spreken we af?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    owner = PersonChoiceField(
        label=_("Wie doet het?"), queryset=None, required=False, empty_label=_("— kies iemand uit de kring —")
    )
    due = forms.DateField(label=_("Uiterlijk op"), widget=DateInput(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = circle_users(child)
        self.fields["owner"].roles = owner_roles(child)
