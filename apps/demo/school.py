"""The fictional demo school "De Wegwijzer" (seed 000). All names are invented."""

import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.circles.models import Child, CircleMember, Guardianship
from apps.consent import services as consent_services
from apps.consent.models import Consent
from apps.organisations.models import Board, CareOrganisation, Group, Membership, Role, School
from apps.referrals.models import Assignment, StaffTitle

SCHOOL_NAME = "De Wegwijzer"
BOARD_NAME = "Stichting Rivierland"
SCHOOL_YEAR = "2026-2027"
DEMO_PASSWORD = "demo-Driehoek-2026"
DOMAIN = "demo.driehoek.example"

FIRST_NAMES = [
    "Noah",
    "Emma",
    "Liam",
    "Julia",
    "Lucas",
    "Mila",
    "Finn",
    "Tess",
    "Levi",
    "Sara",
    "Sem",
    "Nora",
    "Daan",
    "Zoë",
    "Luuk",
    "Evi",
    "Milan",
    "Saar",
    "Jesse",
    "Lieke",
    "Bram",
    "Fleur",
    "Thijs",
    "Yara",
    "Adam",
    "Noa",
    "Mohammed",
    "Ilse",
    "Ayoub",
    "Hiba",
    "Stijn",
    "Roos",
    "Ravi",
    "Amira",
    "Joep",
    "Lina",
]
LAST_NAMES = [
    "Jansen",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Kok",
    "Brouwer",
    "Dekker",
    "Mulder",
    "Willems",
    "van Leeuwen",
    "Koster",
    "Prins",
    "Meijer",
    "Kaya",
    "Öztürk",
    "Bakkali",
    "Postma",
    "Schouten",
    "de Graaf",
    "Kramer",
    "Verhoeven",
    "Huisman",
    "Wouters",
]
PARENT_FIRST = [
    "Anna",
    "Peter",
    "Linda",
    "Mark",
    "Sandra",
    "Kevin",
    "Iris",
    "Youssef",
    "Esra",
    "Rob",
    "Karin",
    "Dennis",
    "Fatma",
    "Jeroen",
    "Marloes",
    "Hamza",
    "Naomi",
    "Bas",
]
GROUPS = [
    ("Groep 1/2a", 1),
    ("Groep 1/2b", 2),
    ("Groep 3", 3),
    ("Groep 4", 4),
    ("Groep 5", 5),
    ("Groep 6", 6),
    ("Groep 7", 7),
    ("Groep 8", 8),
]
TEACHERS = [
    "Ingrid Smit",
    "Wouter Koning",
    "Hanneke de Jong",
    "Pieter Bosman",
    "Sophie Vermeulen",
    "Rachid Amrani",
    "Judith van der Berg",
    "Martijn Vink",
]


def accounts_listing() -> list[dict]:
    """The named demo log-ins, for `loaddemo --json` and `make run`."""
    rows = []
    for user in User.objects.filter(is_demo=True, email__endswith=DOMAIN).exclude(email__regex=r"^ouder[0-9]"):
        rows.append({"email": user.email, "password": DEMO_PASSWORD, "role": _role_of(user), "name": user.full_name})
    order = [
        "ouder",
        "ouder zonder gezag",
        "leerling (12+)",
        "IB'er",
        "directeur",
        "leerkracht",
        "schooladministratie",
        "beheerder van het bestuur",
        "jeugdhulpverlener",
        "jeugdarts",
        "leerplichtambtenaar",
        "beheerder",
    ]
    return sorted(rows, key=lambda r: (order.index(r["role"]) if r["role"] in order else 99, r["email"]))


def _role_of(user) -> str:
    m = user.memberships.first()
    if m:
        return str(m.get_role_display()).replace("IB'er / zorgcoördinator", "IB'er")
    if hasattr(user, "child_record"):
        return "leerling (12+)"
    if user.guardianships.filter(has_authority=False).exists():
        return "ouder zonder gezag"
    if user.guardianships.exists():
        return "ouder"
    return "beheerder" if user.is_superuser else "overig"


def _user(email, name, password_hash, **extra) -> User:
    user, _ = User.objects.get_or_create(
        email=f"{email}@{DOMAIN}", defaults={"full_name": name, "password": password_hash, "is_demo": True, **extra}
    )
    return user


@transaction.atomic
def build(today: date | None = None) -> bool:
    """Create the demo school once. Returns False when it was already there (idempotent)."""
    if School.objects.filter(name=SCHOOL_NAME).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 - deterministic fictional data
    pw = make_password(DEMO_PASSWORD)

    board = Board.objects.create(name=BOARD_NAME)
    school = School.objects.create(name=SCHOOL_NAME, brin="00XX", vestiging="00", city="Rivierstad", board=board)
    groups = [Group.objects.create(school=school, name=n, year_level=y, school_year=SCHOOL_YEAR) for n, y in GROUPS]
    cjg = CareOrganisation.objects.create(name="CJG Rivierstad", kind=CareOrganisation.Kind.CJG)
    wijkteam = CareOrganisation.objects.create(name="Wijkteam Oost", kind=CareOrganisation.Kind.WIJKTEAM)
    ggd = CareOrganisation.objects.create(name="GGD Regio Rivierstad", kind=CareOrganisation.Kind.GGD)
    gemeente = CareOrganisation.objects.create(name="Gemeente Rivierstad", kind=CareOrganisation.Kind.MUNICIPALITY)

    director = _user("directeur", "Ellen Bakker", pw)
    ib = _user("ib", "Marieke Jansen", pw)
    admin = _user("administratie", "Tom Visser", pw)
    Membership.objects.create(user=director, role=Role.DIRECTOR, school=school)
    Membership.objects.create(user=ib, role=Role.IB, school=school)
    Membership.objects.create(user=admin, role=Role.SCHOOL_ADMIN, school=school)
    Membership.objects.create(user=_user("bestuur", "Anouk de Boer", pw), role=Role.BOARD_ADMIN, board=board)
    teachers = []
    for i, (name, group) in enumerate(zip(TEACHERS, groups, strict=True)):
        teacher = _user(f"leerkracht{i + 1}", name, pw)
        Membership.objects.create(user=teacher, role=Role.TEACHER, school=school).groups.add(group)
        teachers.append(teacher)
    cjg_worker = _user("cjg", "Maria de Vries", pw)
    coach = _user("gezinscoach", "Jeroen Smit", pw)
    doctor = _user("jeugdarts", "Fatima El Amrani", pw)
    officer = _user("leerplicht", "Karin Mulder", pw)
    StaffTitle.objects.create(
        membership=Membership.objects.create(user=cjg_worker, role=Role.YOUTH_WORKER, organisation=cjg),
        title="CJG-medewerker",
    )
    StaffTitle.objects.create(
        membership=Membership.objects.create(user=coach, role=Role.YOUTH_WORKER, organisation=wijkteam),
        title="gezinscoach",
    )
    Membership.objects.create(user=doctor, role=Role.DOCTOR, organisation=ggd)
    Membership.objects.create(user=officer, role=Role.ATTENDANCE_OFFICER, organisation=gemeente)
    _user("beheer", "Platformbeheer", pw, is_staff=True, is_superuser=True)

    # 25 pupils per class; birth years follow the year level (groep 8 ≈ 11–12 years old).
    children = []
    for group in groups:
        for _n in range(25):
            born_year = today.year - (group.year_level + 4) - (1 if today.month < 10 else 0)
            born = date(born_year, 1, 1) + timedelta(days=rng.randrange(365))
            children.append(
                Child(
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    date_of_birth=born,
                    school=school,
                    group=group,
                )
            )
    children = Child.objects.bulk_create(children)

    # Generated guardians: one or two per child, a few siblings share parents.
    guardians, links = [], []
    for i, child in enumerate(children):
        for j in range(1 if i % 3 == 0 else 2):
            name = f"{rng.choice(PARENT_FIRST)} {child.last_name}"
            guardians.append(User(email=f"ouder{i}-{j}@{DOMAIN}", full_name=name, password=pw, is_demo=True))
    guardians = User.objects.bulk_create(guardians)
    by_email = {g.email: g for g in guardians}
    for i, child in enumerate(children):
        for j in range(1 if i % 3 == 0 else 2):
            relation = Guardianship.Relation.MOTHER if j == 0 else Guardianship.Relation.FATHER
            links.append(Guardianship(child=child, user=by_email[f"ouder{i}-{j}@{DOMAIN}"], relation=relation))
    Guardianship.objects.bulk_create(links)
    CircleMember.objects.bulk_create(
        [
            CircleMember(
                child=c,
                user=teachers[groups.index(next(g for g in groups if g.pk == c.group_id))],
                role="leerkracht",
                school=school,
                since=date(today.year if today.month >= 8 else today.year - 1, 8, 25),
                is_coordinator=True,
            )
            for c in children[8:]
        ]
    )

    _named_families(
        today, school, groups, children[:8], pw, ib, teachers, cjg, cjg_worker, wijkteam, coach, ggd, doctor
    )
    return True


def _named_families(today, school, groups, slots, pw, ib, teachers, cjg, cjg_worker, wijkteam, coach, ggd, doctor):
    """Eight children with stories the demo log-ins can follow."""
    g = {grp.year_level: grp for grp in groups}
    start = date(today.year if today.month >= 8 else today.year - 1, 8, 25)

    def setup(child, first, last, level, born):
        Child.objects.filter(pk=child.pk).update(first_name=first, last_name=last, group=g[level], date_of_birth=born)
        child.refresh_from_db()
        Guardianship.objects.filter(child=child).delete()
        return child

    noor, daan, lotte, emma, sem, yara, ravi, finn = slots
    # The Peters family: two children, one mother.
    sanne = _user("ouder", "Sanne Peters", pw)
    noor = setup(noor, "Noor", "Peters", 5, date(today.year - 9, 4, 12))
    daan = setup(daan, "Daan", "Peters", 3, date(today.year - 7, 9, 2))
    for c in (noor, daan):
        Guardianship.objects.create(child=c, user=sanne, relation=Guardianship.Relation.MOTHER)
    # Separated parents, father without parental authority.
    anouk = _user("ouder.deboer", "Anouk de Boer", pw)
    mark = _user("ouder.zondergezag", "Mark Hendriks", pw)
    lotte = setup(lotte, "Lotte", "de Boer", 6, date(today.year - 10, 2, 20))
    Guardianship.objects.create(child=lotte, user=anouk, relation=Guardianship.Relation.MOTHER)
    Guardianship.objects.create(
        child=lotte,
        user=mark,
        relation=Guardianship.Relation.FATHER,
        has_authority=False,
        recognised_child=True,
        lives_with_child=False,
    )
    # Separated parents, both with authority.
    elif_ = _user("ouder.yilmaz", "Elif Yilmaz", pw)
    can = _user("ouder.yilmaz2", "Can Yilmaz", pw)
    emma = setup(emma, "Emma", "Yilmaz", 4, date(today.year - 8, 6, 30))
    Guardianship.objects.create(child=emma, user=elif_, relation=Guardianship.Relation.MOTHER)
    Guardianship.objects.create(child=emma, user=can, relation=Guardianship.Relation.FATHER, lives_with_child=False)
    # A pupil of 12 with an account of his own.
    sem_user = _user("leerling", "Sem de Wit", pw)
    sem = setup(sem, "Sem", "de Wit", 8, date(today.year - 12, 3, 15))
    Child.objects.filter(pk=sem.pk).update(user=sem_user)
    sem.refresh_from_db()
    ingrid = _user("ouder.dewit", "Ingrid de Wit", pw)
    Guardianship.objects.create(child=sem, user=ingrid, relation=Guardianship.Relation.MOTHER)
    for child, first, last, level, born in (
        (yara, "Yara", "Bakkali", 7, date(today.year - 11, 5, 5)),
        (ravi, "Ravi", "Kaya", 2, date(today.year - 6, 11, 1)),
        (finn, "Finn", "Postma", 1, date(today.year - 5, 1, 17)),
    ):
        setup(child, first, last, level, born)
        Guardianship.objects.create(
            child=child, user=_user(f"ouder.{last.lower()}", f"Kim {last}", pw), relation=Guardianship.Relation.MOTHER
        )

    for child in (noor, daan, lotte, emma, sem, yara, ravi, finn):
        teacher = teachers[child.group.year_level - 1]
        CircleMember.objects.create(child=child, user=teacher, role="leerkracht", school=school, since=start)
        CircleMember.objects.create(child=child, user=ib, role="IB'er", school=school, since=start, is_coordinator=True)
    # Outside professionals are in a circle only through a consent (apps.referrals.selectors); the
    # organisation's own assignment says who works with the child under a consent to the organisation.
    for child, worker, org in ((lotte, cjg_worker, cjg), (emma, coach, wijkteam), (sem, cjg_worker, cjg)):
        Assignment.objects.create(child=child, organisation=org, worker=worker, assigned_by=worker)

    # The demo school has checked gezag for its families already (an import would leave it unconfirmed);
    # only confirmed gezag signs consents, so this comes before them.
    Guardianship.objects.filter(child__school=school).update(authority_status=Guardianship.Authority.CONFIRMED)

    # Consents in every state.
    valid = consent_services.request_consent(
        child=lotte,
        by=anouk,
        organisation=cjg,
        grantee=cjg_worker,
        categories=["basic", "support"],
        starts_on=today,
        purpose="Ondersteuning thuis en op school",
    )
    consent_services.request_consent(
        child=emma,
        by=elif_,
        organisation=wijkteam,
        grantee=coach,
        categories=["basic", "support", "development"],
        starts_on=today,
        purpose="Gezinscoaching",
    )  # pending: Can has not signed yet
    revoked = consent_services.request_consent(
        child=daan, by=sanne, organisation=ggd, grantee=doctor, categories=["basic", "health"], starts_on=today
    )
    consent_services.revoke(revoked, sanne, "Het onderzoek is klaar.")
    expired = consent_services.request_consent(
        child=noor, by=sanne, organisation=ggd, grantee=doctor, categories=["basic", "health"], starts_on=today
    )
    Consent.objects.filter(pk=expired.pk).update(
        starts_on=today - timedelta(days=200), ends_on=today - timedelta(days=20)
    )
    sem_consent = consent_services.request_consent(
        child=sem, by=ingrid, organisation=cjg, grantee=cjg_worker, categories=["basic", "support"], starts_on=today
    )
    consent_services.sign(sem_consent, sem_user)
    return valid
