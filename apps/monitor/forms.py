from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.widgets import DateInput
from apps.organisations.models import Group

from .models import Perspective


class WaveForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None, label=_("School"))
    title = forms.CharField(label=_("Naam van de peiling"), max_length=200, initial=_("Peiling samenwerking"))
    closes_on = forms.DateField(label=_("Open tot en met"), widget=DateInput())
    perspectives = forms.MultipleChoiceField(
        label=_("Wie vult in"), choices=Perspective.choices, widget=forms.CheckboxSelectMultiple,
        initial=list(Perspective.values),
    )  # fmt: skip
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.none(), label=_("Groepen"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["groups"].queryset = (
            Group.objects.filter(school__in=schools)
            .select_related("school")
            .order_by("school__name", "year_level", "name")
        )
        self.fields["closes_on"].initial = timezone.localdate() + timedelta(days=14)
        if len(schools) == 1:
            self.fields["school"].initial = schools.first()


class FilterForm(forms.Form):
    group = forms.ModelChoiceField(queryset=Group.objects.none(), required=False, label=_("Groep"),
                                   empty_label=_("hele school"))  # fmt: skip
    perspective = forms.ChoiceField(required=False, label=_("Perspectief"),
                                    choices=[("", _("alle perspectieven")), *Perspective.choices])  # fmt: skip

    def __init__(self, *args, wave, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = wave.groups.order_by("year_level", "name")
