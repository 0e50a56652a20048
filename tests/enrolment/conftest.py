from pathlib import Path

import pytest

from apps.organisations.models import Role
from tests.factories import SchoolFactory, UserFactory, staff

FILES = Path(__file__).parent / "files"


def file_bytes(name: str) -> bytes:
    return (FILES / name).read_bytes()


@pytest.fixture
def school(db):
    return SchoolFactory(name="De Nieuwe Linde", brin="99ZZ", vestiging="00")


@pytest.fixture
def admin(school):
    return staff(Role.SCHOOL_ADMIN, school=school, user=UserFactory(full_name="Mirjam de Boer", is_demo=True))


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="De Eik", brin="98YY")
