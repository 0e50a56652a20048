"""The demo school gets pupils whose absence trips each rule once; loading twice adds nothing."""

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.attendance.models import Rule, Signal
from apps.attendance.models import TestDay as SchoolTestDay

pytestmark = pytest.mark.django_db
DOMAIN = "demo.driehoek.example"


def test_the_demo_trips_each_rule_once_and_is_idempotent(client, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    call_command("loaddemo", "--json", stdout=open("/dev/null", "w"))  # noqa: SIM115
    rules = set(Signal.objects.values_list("rule", flat=True))
    assert rules == set(Rule.values)
    count = Signal.objects.count()
    call_command("loaddemo", "--json", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Signal.objects.count() == count
    for local, url in (
        ("ib", "/verzuim/signalen/"),
        ("leerplicht", "/verzuim/signalen/"),
        ("ouder", "/verzuim/ziekmelden/"),
    ):
        client.force_login(User.objects.get(email=f"{local}@{DOMAIN}"))
        assert client.get(url).status_code == 200, (local, url)
    client.force_login(User.objects.get(email=f"leerplicht@{DOMAIN}"))
    assert "Bakkali" in client.get("/verzuim/signalen/").content.decode()
    assert Signal.objects.get(rule=Rule.DUO, child__last_name="Bakkali").duo_status == "registered"
    assert SchoolTestDay.objects.count() == 3
