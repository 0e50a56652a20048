"""Form widgets shared by all apps."""

from django import forms


class DateInput(forms.DateInput):
    """A native date picker; it only understands ISO dates, whatever the page language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A native date-time picker; it needs `YYYY-MM-DDTHH:MM` regardless of locale."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")
