"""Background tasks of the plan (django-tasks; `make worker` runs them)."""

from django_tasks import task


@task()
def send_plan_reminders_task(days_before: int | None = None) -> dict:
    from .reminders import send_plan_reminders

    result = send_plan_reminders(days_before=days_before)
    return {
        "due_soon": result.due_soon,
        "overdue": result.overdue,
        "evaluations": result.evaluations,
        "opps": result.opps,
        "skipped": result.skipped,
    }
