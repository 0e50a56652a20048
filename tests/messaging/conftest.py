import pytest
from django.utils import timezone

from apps.consent import services as consent_services
from apps.organisations.models import Role
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    UserFactory,
    circle_member,
    staff,
)


def image_bytes(fmt="PNG", size=(4, 3), exif=None) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **kwargs)
    return out.getvalue()


PNG = image_bytes()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


@pytest.fixture
def circle(settings, tmp_path):
    """One child with mother, father, teacher, IB'er (coordinator) and a CJG worker in the circle."""
    settings.DEMO_SKIP_TWO_FACTOR = True
    settings.MEDIA_ROOT = tmp_path / "media"
    group = GroupFactory()
    child = ChildFactory(group=group, school=group.school)
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Sanne Peters")).user
    father = GuardianshipFactory(child=child, relation="father", user=UserFactory(full_name="Rob Peters")).user
    cjg = CareOrganisationFactory(name="CJG Rivierstad")
    worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(is_demo=True, full_name="Maria de Vries"))
    circle_member(child, worker, organisation=cjg)
    teacher = staff(
        Role.TEACHER, school=child.school, groups=[group], user=UserFactory(is_demo=True, full_name="Ingrid Smit")
    )
    circle_member(child, teacher, role="leerkracht", school=child.school)
    ib = staff(Role.IB, school=child.school, user=UserFactory(is_demo=True, full_name="Marieke Jansen"))
    circle_member(child, ib, role="IB'er", school=child.school, coordinator=True)
    return {
        "child": child,
        "group": group,
        "school": child.school,
        "mother": mother,
        "father": father,
        "cjg": cjg,
        "worker": worker,
        "teacher": teacher,
        "ib": ib,
    }


def give_consent(c, categories=("basic",)):
    consent = consent_services.request_consent(
        child=c["child"],
        by=c["mother"],
        organisation=c["cjg"],
        grantee=c["worker"],
        categories=list(categories),
        starts_on=timezone.localdate(),
    )
    consent_services.sign(consent, c["father"])
    return consent
