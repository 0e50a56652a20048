"""Who may do what with a conversation, beyond reading it (listed in `apps.access.policy`'s docstring).

Reading and changing a conversation is first the one policy's decision on its child and category
(`services._authorize`; lists use `services.visible_filter`, built from `visible_children`). On top of that
these rules say which of the people the policy lets in may do a particular step; a refusal is
`PermissionDenied` (403), never a validation error.
"""

from apps.access.policy import is_professional

from .models import Participant


def participant_for(user, conversation) -> Participant | None:
    return next((p for p in conversation.participants.all() if p.user_id == user.pk), None)


def may_fill_in_for_child(user, conversation) -> bool:
    """The child itself (12+, own account), or a guardian or the organiser sitting next to the child."""
    child = conversation.child
    if child.user_id and child.user_id == user.pk:
        return True
    return user.pk == conversation.organiser_id or any(g.user_id == user.pk for g in child.guardianships.all())


def may_record(user, conversation) -> bool:
    """The organiser, or a professional taking part, writes the notes, outcomes and feedback."""
    if user.pk == conversation.organiser_id:
        return True
    p = participant_for(user, conversation)
    return p is not None and p.kind == Participant.Kind.PROFESSIONAL and is_professional(user)


def may_cancel(user, conversation) -> bool:
    """The organiser, whoever may record it, or the guardian who booked it in the start-of-year planner."""
    if user.pk == conversation.organiser_id or may_record(user, conversation):
        return True
    booking = getattr(conversation, "booking", None)
    return booking is not None and booking.booked_by_id == user.pk
