"""Demo: an empty second school, De Nieuwe Linde (BRIN 99ZZ), with a school administrator, so a newcomer
can import `apps/demo/data/de-nieuwe-linde.edexml.xml` and `de-nieuwe-linde-ouders.csv` (README). Idempotent."""

from django.contrib.auth.hashers import make_password

from apps.accounts.models import User
from apps.demo.school import DEMO_PASSWORD, DOMAIN
from apps.organisations.models import Membership, Role, School

SCHOOL_NAME = "De Nieuwe Linde"
ADMIN_EMAIL = f"administratie.nieuwelinde@{DOMAIN}"


def load() -> None:
    school, _created = School.objects.get_or_create(
        name=SCHOOL_NAME, defaults={"brin": "99ZZ", "vestiging": "00", "city": "Rivierstad"}
    )
    user, _created = User.objects.get_or_create(
        email=ADMIN_EMAIL,
        defaults={"full_name": "Jolien Verhoeven", "password": make_password(DEMO_PASSWORD), "is_demo": True},
    )
    Membership.objects.get_or_create(user=user, school=school, role=Role.SCHOOL_ADMIN)
