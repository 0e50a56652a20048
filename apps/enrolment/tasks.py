"""Background work of the import: applying a large file (django-tasks)."""

from django_tasks import task


@task()
def apply_import_task(run_id: int) -> str:
    from .services import apply_run

    return apply_run(run_id).status
