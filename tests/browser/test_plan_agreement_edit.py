"""Plan agreements in a real browser: the status form swaps only its row with htmx, works without
JavaScript, and an agreement's text/owner/date can be changed on an accessible page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.plans.models import Agreement, AgreementStatus
from apps.plans.services import add_agreement
from tests.browser.conftest import PASSWORD, assert_accessible, follow, login
from tests.timeline.conftest import circle  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _agreement(circle):  # noqa: F811
    return add_agreement(
        Actor(circle.ib, "web"),
        circle.child,
        what="Elke avond lezen",
        owner=circle.mother,
        due=timezone.localdate() + timedelta(days=7),
    )


def test_status_change_swaps_only_the_row_with_htmx(live_server, new_page, circle):  # noqa: F811
    agreement = _agreement(circle)
    page = new_page()
    login(page, live_server, circle.mother)
    page.goto(f"{live_server.url}/plan/kind/{circle.child.pk}/")
    page.evaluate("() => { window.__notReloaded = true; }")
    page.select_option(f"#status-{agreement.pk}", "done")
    page.click(f"#afspraak-{agreement.pk} button:has-text('Bijwerken')")  # htmx: no navigation
    page.wait_for_selector(f"#afspraak-{agreement.pk} .message.success")
    assert page.evaluate("() => window.__notReloaded === true")  # no full page load
    assert page.locator(f"#afspraak-{agreement.pk}").count() == 1
    assert page.locator(f"#afspraak-{agreement.pk} .tag").first.inner_text() == "gedaan"
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DONE
    # the swapped row carries the new version: a second change from the same row is not stale
    page.select_option(f"#status-{agreement.pk}", "open")
    page.click(f"#afspraak-{agreement.pk} button:has-text('Bijwerken')")  # htmx: no navigation
    page.wait_for_selector(f"#afspraak-{agreement.pk} .tag.warn")
    assert Agreement.objects.get(pk=agreement.pk).version == 3
    assert_accessible(page)


def test_status_change_works_without_javascript(live_server, browser, settings, circle):  # noqa: F811
    settings.DEMO_SKIP_TWO_FACTOR = True
    agreement = _agreement(circle)
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        login(page, live_server, circle.mother, PASSWORD)
        page.goto(f"{live_server.url}/plan/kind/{circle.child.pk}/")
        page.select_option(f"#status-{agreement.pk}", "done")
        follow(page, f"#afspraak-{agreement.pk} button:has-text('Bijwerken')")
        page.wait_for_selector("text=De status van de afspraak is bijgewerkt.")
        assert "<h1>" in page.content()  # the whole plan page came back
        assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DONE
    finally:
        context.close()


def test_ib_changes_owner_and_date_on_an_accessible_page(live_server, new_page, circle):  # noqa: F811
    agreement = _agreement(circle)
    page = new_page()
    login(page, live_server, circle.ib)
    page.goto(f"{live_server.url}/plan/kind/{circle.child.pk}/")
    follow(page, f"#afspraak-{agreement.pk} a:has-text('Wat, wie of datum wijzigen')")
    page.wait_for_selector("h1:has-text('Afspraak wijzigen')")
    assert_accessible(page)
    page.fill("#id_what", "Samen met papa lezen")
    page.select_option("#id_owner", label=f"{circle.father.full_name} (vader)")
    page.fill("#id_due", (timezone.localdate() + timedelta(days=10)).isoformat())
    follow(page, "button:has-text('Opslaan')")
    page.wait_for_selector("text=De afspraak is bijgewerkt.")
    agreement.refresh_from_db()
    assert agreement.what == "Samen met papa lezen" and agreement.owner == circle.father and agreement.version == 2
