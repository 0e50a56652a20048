"""Demo data: a parent evening at De Wegwijzer three weeks ago, with themes, tables, what parents said,
the learning community's actions (seed 000) and progress. Idempotent: a second load creates nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.circles.models import Guardianship
from apps.demo.school import DOMAIN, SCHOOL_NAME
from apps.organisations.models import School

from . import services
from .models import ActionItem, Invitation, Meeting

TITLE = "Ouderavond: samen werken aan de driehoek"
THEMES = [
    ("Korte lijntjes", "Hoe bereikt u de leerkracht?\nWat zou u sneller willen horen?"),
    ("Mét het kind", "Hoe kan uw kind meepraten over wat het nodig heeft?"),
    ("Wegwijs bij een hulpvraag", "Weet u bij wie u terecht kunt?\nWat maakt de stap naar het CJG kleiner?"),
]
SAID = [
    "Ouders willen niet alleen gebeld worden als er iets mis is; ook goed nieuws is welkom.",
    "Een vast moment per week waarop de leerkracht op het plein staat.",
    "Kinderen willen zelf bij het startgesprek zijn.",
    "Het is onduidelijk wat het CJG doet en hoe je er komt.",
]
# Which seed-000 action answers which theme, with its progress.
LINKS = {
    3: (0, "started", "Alle groepen sturen sinds september een wekelijks Parro-bericht."),
    7: (0, "started", "Groep 3 t/m 5 staan om 8.20 uur op het plein; de bovenbouw volgt."),
    1: (1, "done", "Alle startgesprekken van dit schooljaar zijn met het kind erbij gevoerd."),
    4: (2, "planned", ""),
    8: (2, "started", "Eerste versie van het stappenplan ligt bij de MR."),
}


@transaction.atomic
def load() -> None:
    school = School.objects.filter(name=SCHOOL_NAME).first()
    if school is None or Meeting.objects.filter(school=school, title=TITLE).exists():
        return
    director = User.objects.get(email=f"directeur@{DOMAIN}")
    ib = User.objects.get(email=f"ib@{DOMAIN}")
    starts = (timezone.localtime() - timedelta(days=21)).replace(hour=19, minute=0, second=0, microsecond=0)
    meeting = services.create_meeting(
        school=school,
        by=ib,
        title=TITLE,
        kind=Meeting.Kind.PARENT_EVENING,
        starts_at=starts,
        rsvp_deadline=starts - timedelta(days=3),
        location="Aula De Wegwijzer",
        invitation_text="We horen graag hoe u de samenwerking met school en CJG ervaart. Koffie staat klaar!",
    )
    meeting.action_team.add(director)
    meeting.checklist.update(done=True)
    for title, questions in THEMES:
        services.add_theme(meeting, title=title, questions=questions)
    # Invitations without e-mails (the evening is in the past): parents of groep 5 and the staff.
    group5 = school.groups.get(name="Groep 5")
    parents = list(
        User.objects.filter(pk__in=Guardianship.objects.filter(child__group=group5).values("user_id")).order_by("pk")
    )
    staff = list(services.school_staff(meeting).order_by("pk"))
    roles = dict(school.staff.filter(active=True).values_list("user_id", "role"))
    now = timezone.now()
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, user=u, kind="guardian", role="parent") for u in parents]
        + [Invitation(meeting=meeting, user=u, kind="staff", role=roles.get(u.pk, "staff")) for u in staff]
    )
    meeting.invitations.update(reply=Invitation.Reply.YES, replied_at=now, attended=True)
    teacher = next((u for u in staff if roles.get(u.pk) == "teacher"), director)
    services.set_leaders(
        meeting, meeting.invitations.filter(user__in=[ib, director, teacher]).values_list("pk", flat=True)
    )
    n_tables = min(3, meeting.invitations.filter(is_leader=True).count())
    tables = services.divide_into_tables(meeting, n_tables)
    outcomes = []
    for i, text in enumerate(SAID):
        outcomes.append(services.add_outcome(tables[[0, 0, 1, 2][i] % len(tables)], text))
    services.import_seed_actions(school, director, meeting=meeting)
    themes = list(meeting.themes.all())
    for number, (theme_index, status, update) in LINKS.items():
        action = ActionItem.objects.get(school=school, number=number)
        action.theme = themes[theme_index]
        action.outcome = next((o for o in outcomes if o.table.theme_id == themes[theme_index].pk), None)
        action.save(update_fields=["theme", "outcome"])
        if update:
            services.add_update(action, by=director, text=update, status=status, version=action.version)
    _load_community(school, director, ib, teacher, parents)


COMMUNITY = "Leergemeenschap De Wegwijzer"
# Seed-000 actions that show the other states: one stopped (with its reason), one without progress for weeks.
STOPPED = (2, "Gestopt: de ouderkamer is dit jaar niet beschikbaar; we zoeken een andere plek.")
STALLED = 6


def _load_community(school, director, ib, teacher, parents) -> None:
    """The learning community with named members, and actions in every state (docs/learning-community.md)."""
    from .community import add_member, create_community
    from .models import STALLED_AFTER, CommunityMember

    community = create_community(
        school=school,
        by=ib,
        name=COMMUNITY,
        goal="Samen met ouders, leerkrachten en het CJG de samenwerking rond het kind verbeteren.",
    )
    Role = CommunityMember.Role
    named = [(director, Role.DIRECTOR), (ib, Role.IB), (teacher, Role.TEACHER)]
    named += [(p, Role.PARENT) for p in parents[:2]]
    for user, role in {user.pk: (user, role) for user, role in reversed(named)}.values():
        add_member(community, user, role)
    number, reason = STOPPED
    stopped = ActionItem.objects.filter(school=school, number=number).first()
    if stopped is not None:
        status = ActionItem.Status.STOPPED
        services.add_update(stopped, by=director, text=reason, status=status, version=stopped.version)
    stalled = ActionItem.objects.filter(school=school, number=STALLED).first()
    if stalled is not None:
        services.add_update(stalled, by=ib, text="We zijn begonnen.", status="started", version=stalled.version)
        weeks_ago = timezone.now() - STALLED_AFTER - timedelta(days=7)
        ActionItem.objects.filter(pk=stalled.pk).update(last_activity_at=weeks_ago)
