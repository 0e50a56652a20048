"""factory_boy factories for the core of Driehoek; every app's tests build on these."""

from datetime import date

import factory
from django.utils import timezone
from django.utils.html import escape

from apps.accounts.models import User
from apps.circles.models import Child, CircleMember, Guardianship
from apps.organisations.models import CareOrganisation, Group, Membership, Role, School


class PlainName(factory.Faker):
    """A Dutch name that HTML shows unchanged. Tests look for names in pages as plain text, and a random
    "van 't Riet" would be there as "van &#x27;t Riet": a test that fails one run in a few hundred."""

    def evaluate(self, instance, step, extra):
        while True:
            value = super().evaluate(instance, step, dict(extra))  # Faker pops from `extra`
            if escape(value) == value:
                return value


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@test.driehoek.example")
    language = "nl"
    full_name = PlainName("name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Testschool {n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Groep {n}")
    year_level = 5
    school_year = "2026-2027"


class CareOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareOrganisation

    name = factory.Sequence(lambda n: f"CJG {n}")
    kind = CareOrganisation.Kind.CJG


def years_ago(years: int, on: date | None = None, days: int = 0) -> date:
    """A birth date that makes a child exactly `years` old on `on` (plus `days` older)."""
    from datetime import timedelta

    on = on or timezone.localdate()
    try:
        born = on.replace(year=on.year - years)
    except ValueError:
        born = on.replace(year=on.year - years, day=28)
    return born - timedelta(days=days)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    first_name = PlainName("first_name", locale="nl_NL")
    last_name = PlainName("last_name", locale="nl_NL")
    date_of_birth = factory.LazyFunction(lambda: years_ago(9, days=30))
    group = factory.SubFactory(GroupFactory)
    school = factory.SelfAttribute("group.school")


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    child = factory.SubFactory(ChildFactory)
    user = factory.SubFactory(UserFactory)
    relation = Guardianship.Relation.MOTHER
    has_authority = True
    authority_status = Guardianship.Authority.CONFIRMED


def staff(role: str, *, school=None, organisation=None, groups=(), user=None) -> User:
    """A professional with one membership (school roles need a school, outside roles an organisation)."""
    user = user or UserFactory()
    if role in (Role.YOUTH_WORKER, Role.DOCTOR, Role.ATTENDANCE_OFFICER):
        organisation = organisation or CareOrganisationFactory()
        m = Membership.objects.create(user=user, role=role, organisation=organisation)
    else:
        m = Membership.objects.create(user=user, role=role, school=school)
        m.groups.set(groups)
    return user


def circle_member(child, user, role="jeugdhulpverlener", organisation=None, school=None, coordinator=False):
    """A professional in the circle. For an outside professional that means their organisation assigned them
    (`referrals.Assignment`); the policy still lets them in only while a consent covers them."""
    if organisation is not None and user.memberships.filter(organisation=organisation, active=True).exists():
        from apps.referrals.models import Assignment

        Assignment.objects.get_or_create(
            child=child, organisation=organisation, worker=user, ended_at=None, defaults={"assigned_by": user}
        )
    return CircleMember.objects.create(
        child=child, user=user, role=role, organisation=organisation, school=school, is_coordinator=coordinator
    )


def reauthenticated(client, password: str = "geheim-wachtwoord-123"):
    """Give the password again, as exporting a file or ending sessions asks (SEC-10, apps/accounts/limits.py)."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()[:300]
    return client
