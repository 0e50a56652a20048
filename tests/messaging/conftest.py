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


# The standard EICAR anti-virus test string: harmless, but every scanner must report it.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _clamd_binary() -> str:
    import shutil

    return shutil.which("clamd") or "/usr/sbin/clamd"


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """A real clamd for this test process, with a local signature database that only knows EICAR.

    There is no network for freshclam, so the database is one body signature (.ndb: EICAR anywhere in any
    file) written here. Each xdist worker starts its own clamd on its own socket; it runs as the current
    user (no User line), in the foreground, logging only into its own temporary folder.
    """
    import os
    import subprocess
    import time

    from clamav_client.clamd import ClamdError, ClamdUnixSocket

    binary = _clamd_binary()
    if not os.path.exists(binary):
        pytest.fail("clamd is missing: `make test` installs Debian's clamav-daemon")
    base = tmp_path_factory.mktemp("clamd")
    database = base / "db"
    database.mkdir()
    (database / "eicar.ndb").write_text(f"Driehoek-Test-EICAR:0:*:{EICAR.hex()}\n")
    socket_path = base / "clamd.sock"
    config = base / "clamd.conf"
    config.write_text(
        f"LocalSocket {socket_path}\n"
        f"DatabaseDirectory {database}\n"
        f"LogFile {base / 'clamd.log'}\n"
        f"TemporaryDirectory {base}\n"
        "Foreground yes\n"
        "LogSyslog no\n"
    )
    with open(base / "clamd.out", "wb") as out:
        process = subprocess.Popen([binary, "-c", str(config)], stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if ClamdUnixSocket(str(socket_path), timeout=5).ping() == "PONG":
                    break
            except ClamdError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log = (base / "clamd.out").read_text(errors="replace")[-2000:]
                pytest.fail(f"clamd did not start:\n{log}")
            time.sleep(0.1)
        yield str(socket_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def virus_scan(settings, clamd_socket):
    """Scanning on, against the test clamd; returns its socket path."""
    settings.VIRUS_SCAN = True
    settings.CLAMD_HOST = ""
    settings.CLAMD_SOCKET = clamd_socket
    return clamd_socket
