from django_tasks import task


@task()
def escalate_help_questions_task() -> int:
    from .services import escalate_overdue

    return escalate_overdue()
