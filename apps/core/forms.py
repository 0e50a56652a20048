"""Form helpers shared by all apps."""

from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's Dutch messages beside the right fields; what the user typed stays in the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errs in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


class DriehoekFormRenderer(DjangoTemplates):
    """Every `{{ form }}` / `{{ form.as_div }}` renders its fields as NL Design System form fields: label,
    description, error message and input in one `utrecht-form-field` (docs/web-app.md, "Components")."""

    field_template_name = "core/components/form_field.html"
