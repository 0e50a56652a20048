"""The demo school gets a step plan, topics, threads and announcements; loading twice creates nothing twice."""

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.helpguide.models import HelpGuide, Step, Topic
from apps.messaging.models import Announcement, Message, Thread

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_pages_render(client, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    call_command("loaddemo", "--json", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = [m.objects.count() for m in (HelpGuide, Step, Topic, Thread, Message, Announcement)]
    assert counts[0] == 1 and counts[1] >= 3 and counts[3] >= 2
    call_command("loaddemo", "--json", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.objects.count() for m in (HelpGuide, Step, Topic, Thread, Message, Announcement)] == counts

    domain = "demo.driehoek.example"
    pages = {
        "ouder": ["/hulpwijzer/", "/hulpwijzer/kind/", "/hulpwijzer/vraag/", "/berichten/", "/berichten/mededelingen/"],
        "ib": ["/berichten/balans/", "/hulpwijzer/vragen/", "/hulpwijzer/rapport/", "/berichten/mededelingen/nieuw/"],
        "leerkracht5": ["/berichten/balans/", "/berichten/"],
        "cjg": ["/berichten/", "/berichten/mededelingen/nieuw/"],
    }
    for local, urls in pages.items():
        client.force_login(User.objects.get(email=f"{local}@{domain}"))
        for url in urls:
            assert client.get(url).status_code == 200, (local, url)
    # Noor's family only heard concerns: her teacher sees the prompt.
    client.force_login(User.objects.get(email=f"leerkracht5@{domain}"))
    assert "Deel ook eens iets positiefs" in client.get("/berichten/balans/").content.decode()
    # Maria (CJG) reads the support thread about Lotte (consent), not the development thread about Noor.
    client.force_login(User.objects.get(email=f"cjg@{domain}"))
    inbox = client.get("/berichten/").content.decode()
    assert "Afstemming school en CJG" in inbox and "Rekenen in groep 5" not in inbox
