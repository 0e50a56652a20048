from django_tasks import task


@task()
def build_export_task(request_id: int) -> int:
    from .services import build_export

    return build_export(request_id).pk


@task()
def daily_retention() -> dict:
    """Registered in settings.PERIODIC_TASKS; idempotent (a rerun continues, removes nothing twice)."""
    from .retention import run_retention

    run = run_retention()
    return {"run": run.pk, "counts": run.counts, "finished": run.finished}
