"""Issue 12 item 3 in a real browser: a mother asks for a copy, the IB'er redacts and makes it, she downloads it."""

import json
import zipfile

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.timeline.services import add_entry
from tests.browser.conftest import PASSWORD, assert_accessible, follow, login
from tests.privacy.conftest import fam  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inspection_request_from_request_to_download(live_server, new_page, fam):  # noqa: F811
    add_entry(
        Actor(fam.teacher, "web"),
        fam.child,
        kind="school",
        happened_on=timezone.localdate(),
        text="Noor en Daan Visser werkten samen",
        category="development",
    )

    # The mother asks for a copy on her child's privacy page.
    mother = new_page()
    login(mother, live_server, fam.mother)
    mother.goto(f"{live_server.url}/inzage/kind/{fam.child.pk}/")
    assert_accessible(mother)
    mother.fill("#id_note", "Graag digitaal")
    follow(mother, "button:has-text('Afschrift aanvragen')")
    request = mother.locator("li.request")
    assert "ontvangen" in request.inner_text() and "Uiterlijk klaar op" in request.inner_text()

    # The IB'er finds it in the list, leaves out the classmate's name and makes the copy.
    ib = new_page()
    login(ib, live_server, fam.ib)
    ib.goto(f"{live_server.url}/inzage/verzoeken/")
    assert_accessible(ib)
    follow(ib, f"a:has-text('{fam.child.full_name}')")
    assert "Daan Visser" in ib.locator("code").all_inner_texts()
    assert_accessible(ib)
    ib.fill("#id_red-terms", "Daan Visser")
    ib.fill("#id_red-reason", "gaat over een ander kind")
    follow(ib, "button:has-text('Afschrift maken')")
    assert "klaar" in ib.locator("[role=status]").inner_text()
    assert_accessible(ib)

    # The mother downloads it after giving her password again.
    mother.goto(f"{live_server.url}/inzage/kind/{fam.child.pk}/")
    assert "klaar om te downloaden" in mother.locator("li.request").inner_text()
    follow(mother, "a:has-text('Download het afschrift (ZIP)')")
    mother.fill("input[name=password]", PASSWORD)
    with mother.expect_download() as info:
        mother.click("main button[type=submit]")
    path = info.value.path()
    z = zipfile.ZipFile(path)
    data = json.loads(z.read("dossier.json"))
    texts = [e["text"] for e in data["timeline"]]
    assert texts == ["Noor en [weggelaten] werkten samen"]
    assert AccessLogEntry.objects.filter(actor=fam.mother, action="export", allowed=True).exists()
