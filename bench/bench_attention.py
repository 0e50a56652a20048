"""The home page's "Vraagt uw aandacht" panel for an IB'er, beside the bare view (/healthz):

- with 40 and then BENCH_ATTENTION_ITEMS (2000) waiting things of every kind (overdue agreements, unread
  threads, help questions, conversations without feedback, stalled actions): the query count stays the same.
"""

import os
from datetime import date, timedelta


def _world(pupils: int):
    from django.contrib.auth.hashers import make_password

    from apps.accounts.models import User
    from apps.circles.models import Child
    from apps.helpguide.models import HelpGuide, Topic
    from apps.organisations.models import Group, Membership, Role, School

    school = School.objects.create(name="Bench attention school", brin="00AT")
    group = Group.objects.create(school=school, name="AT Groep 5", year_level=5, school_year="2026-2027")
    pw = make_password("bench-wachtwoord-1")
    ib = User.objects.create(email="ib@bench-att.test", full_name="IB Aandacht", password=pw, is_demo=True)
    Membership.objects.create(user=ib, role=Role.IB, school=school)
    children = Child.objects.bulk_create(
        Child(
            first_name=f"Kind{i}", last_name=f"Att{i:04d}", date_of_birth=date(2017, 1, 1), school=school, group=group
        )
        for i in range(pupils)
    )
    topic = Topic.objects.create(guide=HelpGuide.objects.create(school=school), name="Leren")
    return school, ib, children, topic


def _items(school, ib, children, topic, count: int, offset: int):
    from django.utils import timezone

    from apps.conversations.models import Conversation
    from apps.helpguide.models import HelpQuestion
    from apps.meetings.models import ActionItem
    from apps.messaging.models import Message, Thread
    from apps.plans.models import Agreement

    now = timezone.now()
    kids = [children[(offset + i) % len(children)] for i in range(count)]
    Agreement.objects.bulk_create(
        Agreement(child=c, what="Afspraak", owner=ib, due=timezone.localdate() - timedelta(days=1), created_by=ib)
        for c in kids
    )
    threads = Thread.objects.bulk_create(Thread(child=c, subject="Bericht", created_by=ib) for c in kids)
    from apps.accounts.models import User

    teacher, _ = User.objects.get_or_create(email="leerkracht@bench-att.test", defaults={"full_name": "Leerkracht"})
    Message.objects.bulk_create(Message(thread=t, author=teacher, body="Hoi") for t in threads)
    HelpQuestion.objects.bulk_create(
        HelpQuestion(school=school, topic=topic, asker=ib, child=c, text="Vraag", assigned_to=ib, due_at=now)
        for c in kids
    )
    Conversation.objects.bulk_create(
        Conversation(
            child=c,
            purpose="Voortgang",
            starts_at=now - timedelta(days=14),
            ends_at=now - timedelta(days=14),
            organiser=ib,
        )
        for c in kids
    )
    ActionItem.objects.bulk_create(
        ActionItem(school=school, title="Actie", owner=ib, last_activity_at=now - timedelta(weeks=8)) for _ in kids
    )


def run() -> list[dict]:
    from django.test import Client

    from bench.harness import bare_view_ms, measure

    big = int(os.environ.get("BENCH_ATTENTION_ITEMS", "2000"))
    school, ib, children, topic = _world(pupils=200)
    client = Client()
    client.force_login(ib)
    baseline = bare_view_ms(client)
    rows = []
    done = 0
    for size in (40, big):
        _items(school, ib, children, topic, size - done, done)
        done = size
        ms, queries = measure(client, "/")
        rows.append(
            {
                "bench": "attention",
                "case": f"home of IB'er, {size} of each waiting item",
                "ms": ms,
                "baseline_ms": baseline,
                "queries": queries,
                "note": "panel counts in the database; query count constant",
            }
        )
    return rows
