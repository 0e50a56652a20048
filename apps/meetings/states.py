"""The real state of an action, as parents read it on "jullie zeiden, wij deden" (docs/learning-community.md).

Seed 000 asks to keep working on actions that were started but never got off the ground, so the page never
hides a stopped action and never calls a stalled one "gepland". Plain functions of the action and the clock."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import STALLED_AFTER, ActionItem

PLANNED, RUNNING, STALLED, DONE, STOPPED = "planned", "running", "stalled", "done", "stopped"

LABELS = {
    PLANNED: _("gepland"),
    RUNNING: _("in gang gezet"),
    STALLED: _("staat stil"),
    DONE: _("gerealiseerd"),
    STOPPED: _("gestopt"),
}
# The states a director may restart with a new owner.
RESTARTABLE = {STALLED, STOPPED}


@dataclass(frozen=True)
class ActionState:
    code: str
    since: datetime | None = None  # stalled: the last sign of life; done/stopped: when that happened
    reason: str = ""  # stopped: why

    @property
    def label(self) -> str:
        return str(LABELS[self.code])

    @property
    def restartable(self) -> bool:
        return self.code in RESTARTABLE


def is_stalled(status: str, last_activity_at: datetime, now: datetime) -> bool:
    """Open (planned or started) and no update for six weeks."""
    open_ = status in (ActionItem.Status.PLANNED, ActionItem.Status.STARTED)
    return open_ and now - last_activity_at >= STALLED_AFTER


def state_of(status: str, last_activity_at: datetime, stopped_reason: str = "", now: datetime | None = None):
    """The state from the stored status and the clock: a planned or started action without an update for six
    weeks is stalled (since its last update); a stopped one keeps its reason."""
    now = now or timezone.now()
    if status == ActionItem.Status.STOPPED:
        return ActionState(STOPPED, last_activity_at, stopped_reason)
    if status == ActionItem.Status.DONE:
        return ActionState(DONE, last_activity_at)
    if is_stalled(status, last_activity_at, now):
        return ActionState(STALLED, last_activity_at)
    return ActionState(RUNNING if status == ActionItem.Status.STARTED else PLANNED, None)


def action_state(action: ActionItem, now: datetime | None = None) -> ActionState:
    return state_of(action.status, action.last_activity_at, action.stopped_reason, now)
