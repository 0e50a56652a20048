"""The hourly anchor of the access log's head (see anchors.py)."""

from django_tasks import task

from . import anchors


@task()
def anchor_audit_chain() -> int:
    """Record the newest entry outside the database; returns its id (0 while the log is empty)."""
    anchor = anchors.anchor_head("head")
    return anchor.pk if anchor else 0
