import threading

from django.apps import AppConfig

# What the policy's memo was read from: a write to any of these in a request or task clears that memo,
# so a decision after a revoke, a new guardian or a changed class is made afresh (docs/performance.md).
MEMO_SOURCES = (
    "consent.Consent",
    "consent.ConsentScope",
    "consent.ConsentSignature",
    "consent.ParentViewChoice",
    "circles.Child",
    "circles.Guardianship",
    "circles.CircleMember",
    "organisations.Membership",
    "organisations.School",
    "organisations.CareOrganisation",
    "referrals.Assignment",
    "referrals.ReferralStep",  # every step of a referral (its status decides what the receiver may read)
)


def _forget(**kwargs):
    from .policy import forget

    forget()


class AccessConfig(AppConfig):
    name = "apps.access"
    label = "access"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from django_tasks.signals import task_finished, task_started

        for label in MEMO_SOURCES:
            model = apps.get_model(label)
            post_save.connect(_forget, sender=model, dispatch_uid=f"policy-memo-{label}-save")
            post_delete.connect(_forget, sender=model, dispatch_uid=f"policy-memo-{label}-delete")
        membership_groups = apps.get_model("organisations.Membership").groups.through
        m2m_changed.connect(_forget, sender=membership_groups, dispatch_uid="policy-memo-membership-groups")
        task_started.connect(_task_started, dispatch_uid="policy-memo-task-started")
        task_finished.connect(_task_finished, dispatch_uid="policy-memo-task-finished")


# A task gets its own memo, also when the immediate backend runs it inside a request.
_task_scopes = threading.local()


def _task_started(**kwargs):
    from .policy import policy_scope

    scope = policy_scope()
    scope.__enter__()
    _task_scopes.__dict__.setdefault("stack", []).append(scope)


def _task_finished(**kwargs):
    stack = _task_scopes.__dict__.get("stack")
    if stack:
        stack.pop().__exit__(None, None, None)
