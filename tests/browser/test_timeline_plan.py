"""Issue 3 in a real browser: timeline strength, an agreement from IB to guardian, consent on entries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.plans.models import Agreement, AgreementStatus
from apps.timeline.models import Kind
from apps.timeline.services import add_entry
from tests.browser.conftest import assert_accessible, follow, login
from tests.timeline.conftest import circle  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guardian_ib_coordinator_and_cjg_worker(live_server, new_page, circle):  # noqa: F811
    child = circle.child
    day = timezone.localdate() - timedelta(days=20)
    add_entry(
        Actor(circle.ib, "web"), child, kind=Kind.SUPPORT, happened_on=day, text="Start logopedie", category="support"
    )
    add_entry(
        Actor(circle.ib, "web"),
        child,
        kind=Kind.LIFE_EVENT,
        happened_on=day,
        text="Ziekenhuisopname",
        category="health",
    )

    # A guardian adds a strength to the timeline.
    mother = new_page()
    login(mother, live_server, circle.mother)
    mother.goto(f"{live_server.url}/tijdlijn/kind/{child.pk}/")
    mother.fill("#id_happened_on", timezone.localdate().isoformat())
    mother.select_option("#id_kind", "strength")
    mother.fill("#id_text", "Kan heel goed <b>tekenen</b>")
    mother.select_option("#id_category", "basic")
    follow(mother, "button:has-text('Toevoegen')")
    strength = mother.locator("li.entry.strength")
    assert strength.count() == 1
    assert "Kan heel goed <b>tekenen</b>" in strength.inner_text()  # escaped, shown as text
    assert_accessible(mother)
    # Her own entry can be corrected from the timeline, with the history shown (keyboard: a plain link).
    follow(mother, strength.locator("a:has-text('Verbeteren')"), key="Enter")
    assert mother.locator("h1").inner_text() == "Regel op de tijdlijn"
    assert_accessible(mother)

    # The IB'er adds an agreement for the guardian.
    ib = new_page()
    login(ib, live_server, circle.ib)
    ib.goto(f"{live_server.url}/plan/kind/{child.pk}/")
    ib.fill("#id_afspraak-what", "Elke avond 15 minuten samen lezen")
    ib.select_option("#id_afspraak-owner", label=f"{circle.mother.full_name} (moeder)")
    ib.fill("#id_afspraak-due", (timezone.localdate() + timedelta(days=7)).isoformat())
    follow(ib, "button:has-text('Afspraak toevoegen')")
    assert ib.locator("text=Elke avond 15 minuten samen lezen").count() >= 1
    assert_accessible(ib)
    agreement = Agreement.objects.get()

    # The guardian marks it done.
    mother.goto(f"{live_server.url}/plan/kind/{child.pk}/")
    mother.select_option(f"#status-{agreement.pk}", "done")
    mother.click(f"#afspraak-{agreement.pk} button:has-text('Bijwerken')")
    mother.wait_for_selector(f"#afspraak-{agreement.pk} .tag.good")  # htmx swaps the row in place
    assert mother.locator(f"#afspraak-{agreement.pk} .tag").first.inner_text() == "gedaan"
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DONE
    assert_accessible(mother)

    # The coordinator (the IB'er here) sees it, also as a change since the last visit.
    ib.goto(f"{live_server.url}/plan/kind/{child.pk}/")
    assert ib.locator(f"#afspraak-{agreement.pk} .tag").inner_text() == "gedaan"
    assert "open → gedaan" in ib.locator(".changes").inner_text()

    # A CJG worker with consent for "support & plan" but not "health" does not see the health entry.
    worker = new_page()
    login(worker, live_server, circle.worker)
    worker.goto(f"{live_server.url}/tijdlijn/kind/{child.pk}/")
    body = worker.locator("main").inner_text()
    assert "Start logopedie" in body and "Ziekenhuisopname" not in body
    assert_accessible(worker)
    worker.goto(f"{live_server.url}/plan/kind/{child.pk}/")
    assert "Elke avond 15 minuten samen lezen" in worker.locator("main").inner_text()
    assert_accessible(worker)
