"""The hourly anchor of every chain head of the access log, and the periodic checkpoint (see anchors.py)."""

from django_tasks import task

from . import anchors


@task()
def anchor_audit_chain() -> int:
    """Record every chain's newest entry outside the database; returns the number of chains (0: empty log).

    Every AUDIT_CHECKPOINT_DAYS the same run also writes a checkpoint, the mark up to which pruning may go later."""
    anchor = anchors.anchor_head("head")
    anchors.checkpoint_if_due()
    return len(anchor.heads) if anchor else 0
