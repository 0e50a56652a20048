"""Who may do what in the help guide (listed in `apps.access.policy`'s docstring).

- The guide itself (introduction, steps, topics, holidays, the response report) is about the school, not
  a child: the IB'er, the director and the school administration of that school configure it.
- A help question is handled by the person it was routed to, the person it escalated to, and the guide's
  editors. A question about a child is child data in the category `QUESTION_CATEGORY` (what worries a
  family about its child is support information), so on top of that the one policy decides: the school
  administration, which sees only basic details, neither opens nor acknowledges it. Lists of questions are
  built from the same rule (`apps.access.policy.visible_q`) and logged.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.access.policy import Action, authorize, decide, memberships_of, visible_children, visible_q
from apps.audit.log import Actor
from apps.consent.models import Category
from apps.organisations.models import Role

EDITOR_ROLES = (Role.IB, Role.DIRECTOR, Role.SCHOOL_ADMIN)
QUESTION_CATEGORY = Category.SUPPORT


def editable_schools(user) -> set[int]:
    """Schools whose guide this person may configure: IB'er, director and school administration."""
    return {m.school_id for m in memberships_of(user) if m.role in EDITOR_ROLES}


def may_edit_guide(user, school_id: int) -> bool:
    return school_id in editable_schools(user)


def handles_questions(user) -> bool:
    """Only professionals handle questions (the staff list of questions)."""
    return bool(memberships_of(user))


def may_handle(user, question) -> bool:
    """Routed to, escalated to, or an editor of the guide. For a question about a child the policy decides
    too: call `authorize_question` before showing or changing it."""
    return user.pk in (question.assigned_to_id, question.escalated_to_id) or may_edit_guide(user, question.school_id)


def about_visible_child(user) -> Q:
    """Questions without a child, or about a child whose support data this user may see (the policy)."""
    return Q(child__isnull=True) | visible_q(user, QUESTION_CATEGORY)


def handled_questions(user):
    """The questions this person handles and may read: the staff list, page and API alike."""
    from .models import HelpQuestion

    routed = Q(assigned_to=user) | Q(escalated_to=user) | Q(school_id__in=editable_schools(user))
    return HelpQuestion.objects.filter(routed).filter(about_visible_child(user))


def own_questions(user):
    """The questions this person asked, as far as the policy still lets them see the child."""
    from .models import HelpQuestion

    return HelpQuestion.objects.filter(asker=user).filter(about_visible_child(user))


def own_children(user):
    """Children a question can be about: the user's own children, and the user's own record from 12."""
    return visible_children(user).filter(Q(guardianships__user=user) | Q(user=user))


def readable_questions(user):
    """Own questions and handled ones, as far as the policy lets this person see their child."""
    from .models import HelpQuestion

    routed = Q(assigned_to=user) | Q(escalated_to=user) | Q(school_id__in=editable_schools(user))
    return HelpQuestion.objects.filter(Q(asker=user) | routed).filter(about_visible_child(user))


def may_read_question_child(user, question) -> bool:
    return question.child_id is None or decide(user, Action.VIEW, question.child, QUESTION_CATEGORY).allowed


def authorize_question(actor: Actor, action: str, question, label: str = "") -> None:
    """Decide and log the read or change of a question about a child; raises AccessDenied when refused.
    A question without a child holds no child data and is decided by `may_handle` alone."""
    if question.child_id is None:
        return
    authorize(actor, action, question.child, QUESTION_CATEGORY, obj=question, label=label or _("een hulpvraag"))


def may_receive(user, child) -> bool:
    """May a question about this child be routed to this person (so it is never sent to someone who may not
    open it)?"""
    return child is None or decide(user, Action.VIEW, child, QUESTION_CATEGORY).allowed


def guide_school_ids(user) -> set[int]:
    """Schools whose guide this person reads: the schools of own children (and of the own record from 12),
    where one works, and for youth care the schools of the children one works with. The guide page, its
    step photos, its translations and the API use this one rule."""
    ids = set(own_children(user).values_list("school_id", flat=True))
    ids |= {m.school_id for m in memberships_of(user) if m.school_id}
    if any(m.organisation_id for m in memberships_of(user)):
        ids |= set(visible_children(user).values_list("school_id", flat=True))
    return ids
