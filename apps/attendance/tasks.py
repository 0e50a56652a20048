"""Background work of attendance (django-tasks): run every absence rule for every school. Idempotent:
a signal is stored once per pupil, rule and day, so a second run creates nothing."""

from django_tasks import task


@task()
def evaluate_absence_rules() -> int:
    from apps.organisations.models import School

    from .services import evaluate_school

    return sum(len(evaluate_school(school)) for school in School.objects.all())
