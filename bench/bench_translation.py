"""Translated content beside the bare view (/healthz), with a warm translation cache (docs/translation.md):

- the inbox of a parent with 50 threads, in Dutch and in a translated language (the subjects shown from the
  cache; the page never calls the translation server);
- the threads in the API (page of 50) without and with ?lang=ar.

The translation server is the LibreTranslate test double (tests/translation/libretranslate.py), started
here; the note says how many calls it got while measuring (0 with a warm cache).
Size through BENCH_TRANSLATION_THREADS (50).
"""

import os
from datetime import date, timedelta


def _world(n_threads: int):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.circles.models import Child, Guardianship
    from apps.messaging.models import Message, Thread
    from apps.organisations.models import Group, Membership, Role, School

    school = School.objects.create(name="Bench vertaalschool", brin="00VT")
    group = Group.objects.create(school=school, name="VT Groep 5", year_level=5, school_year="2026-2027")
    pw = make_password("bench-wachtwoord-1")
    teacher = User.objects.create(
        email="leerkracht@bench-vt.test", full_name="Leerkracht VT", password=pw, is_demo=True
    )
    Membership.objects.create(user=teacher, role=Role.IB, school=school)
    parent = User.objects.create(email="ouder@bench-vt.test", full_name="Ouder VT", password=pw)
    children = Child.objects.bulk_create(
        Child(first_name=f"Kind{i}", last_name=f"Vt{i}", date_of_birth=date(2017, 1 + i, 3), school=school, group=group)
        for i in range(2)
    )
    Guardianship.objects.bulk_create(Guardianship(child=c, user=parent, relation="mother") for c in children)
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        Thread(
            child=children[i % 2],
            category="basic",
            subject=f"Over het schoolreisje en de lunch, deel {i}",
            created_by=teacher,
            last_message_at=now - timedelta(minutes=i),
        )
        for i in range(n_threads)
    )
    Message.objects.bulk_create(
        Message(thread=t, author=teacher, body="Neem morgen een lunch en een regenjas mee.") for t in threads
    )
    return parent


def run() -> list[dict]:
    from django.conf import settings
    from django.test import Client

    from bench.harness import bare_view_ms, measure
    from tests.translation.libretranslate import LibreTranslateDouble

    n_threads = int(os.environ.get("BENCH_TRANSLATION_THREADS", "50"))
    double = LibreTranslateDouble().start()
    settings.TRANSLATION_BACKEND = "libretranslate"
    settings.LIBRETRANSLATE_URL = double.url
    settings.TRANSLATION_LANGUAGES = ["en", "ar", "tr", "pl", "uk"]
    offered_pages = {code for code, _name in settings.LANGUAGES}
    page_language = "ar" if "ar" in offered_pages else "en"  # the interface languages on this branch
    try:
        parent = _world(n_threads)
        client = Client()
        client.force_login(parent)
        for code in {"ar", page_language}:  # warm the cache: one batch call to the server per language
            assert client.get(f"/api/v1/threads/?lang={code}").status_code == 200
        warmed = len(double.requests)
        bare = bare_view_ms(client)
        rows = []

        def row(case, url, cookie_language="nl"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie_language
            before = len(double.requests)
            ms, queries = measure(client, url)
            calls = len(double.requests) - before
            rows.append(
                {
                    "bench": "translation",
                    "case": case,
                    "ms": ms,
                    "baseline_ms": bare,
                    "queries": queries,
                    "note": f"{calls} calls to the translation server while measuring",
                }
            )

        row(f"inbox, {n_threads} threads, Dutch (page of 25)", "/berichten/")
        row(f"inbox, {n_threads} threads, {page_language}, warm cache", "/berichten/", page_language)
        row(f"API threads, {n_threads} threads (page of 50)", "/api/v1/threads/")
        row(f"API threads, {n_threads} threads, ?lang=ar, warm cache", "/api/v1/threads/?lang=ar")
        rows[0]["note"] += f"; warming the cache took {warmed} calls"
        return rows
    finally:
        double.stop()
        settings.TRANSLATION_BACKEND = "none"
