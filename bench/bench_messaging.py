"""Messaging at school scale, beside the bare view (/healthz):

- inbox of a staff member (IB'er) with 50 and then 5,000 threads: the query count stays the same;
- a thread with 10 and then 2,000 messages (page of 50): the query count stays the same;
- one announcement to a school of 1,500 pupils' guardians: the request only queues a task (no e-mail inline);
  then the task itself, as the worker runs it (time, e-mails sent).

Sizes through BENCH_MSG_THREADS (5000), BENCH_MSG_MESSAGES (2000), BENCH_MSG_PUPILS (1500).
"""

import os
import time
from datetime import date, timedelta


def _world(pupils: int):
    from django.contrib.auth.hashers import make_password

    from apps.accounts.models import User
    from apps.circles.models import Child, Guardianship
    from apps.organisations.models import Group, Membership, Role, School

    school = School.objects.create(name="Bench messaging school", brin="00MB")
    groups = [
        Group.objects.create(school=school, name=f"MB Groep {i}", year_level=i, school_year="2026-2027")
        for i in range(1, 9)
    ]
    pw = make_password("bench-wachtwoord-1")
    ib = User.objects.create(email="ib@bench-msg.test", full_name="IB Bench", password=pw, is_demo=True)
    Membership.objects.create(user=ib, role=Role.IB, school=school)
    children = Child.objects.bulk_create(
        Child(
            first_name=f"Kind{i}",
            last_name=f"Msg{i:04d}",
            date_of_birth=date(2016, 1 + i % 12, 1 + i % 28),
            school=school,
            group=groups[i % 8],
        )
        for i in range(pupils)
    )
    parents = User.objects.bulk_create(
        User(email=f"ouder{i}-{j}@bench-msg.test", full_name=f"Ouder {i}-{j}", password=pw)
        for i in range(pupils)
        for j in range(1 if i % 3 == 0 else 2)
    )
    by_email = {p.email: p for p in parents}
    Guardianship.objects.bulk_create(
        Guardianship(child=c, user=by_email[f"ouder{i}-{j}@bench-msg.test"], relation="mother")
        for i, c in enumerate(children)
        for j in range(1 if i % 3 == 0 else 2)
    )
    return school, ib, children, parents


def _threads(children, author, count: int, offset: int = 0):
    from django.utils import timezone

    from apps.messaging.models import Message, Thread

    now = timezone.now()
    threads = Thread.objects.bulk_create(
        Thread(
            child=children[(offset + i) % len(children)],
            category=("basic", "development", "support")[i % 3],
            subject=f"Gesprek {offset + i}",
            created_by=author,
            last_message_at=now - timedelta(minutes=offset + i),
        )
        for i in range(count)
    )
    Message.objects.bulk_create(
        Message(thread=t, author=author, body="Hallo", tag=("positief", "zorg", "")[t.pk % 3]) for t in threads
    )
    return threads


def _messages(thread, authors, count: int):
    from django.utils import timezone

    from apps.messaging.models import Message

    now = timezone.now()
    Message.objects.bulk_create(
        Message(
            thread=thread,
            author=authors[i % len(authors)],
            body=f"Bericht {i} met wat tekst over de dag.",
            tag=("positief", "zorg", "")[i % 3],
            created_at=now - timedelta(seconds=count - i),
        )
        for i in range(count)
    )


def run() -> list[dict]:
    from django.core import mail
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from apps.messaging.models import Announcement, Thread
    from apps.messaging.services import deliver_announcement
    from bench.harness import bare_view_ms, measure

    n_threads = int(os.environ.get("BENCH_MSG_THREADS", "5000"))
    n_messages = int(os.environ.get("BENCH_MSG_MESSAGES", "2000"))
    pupils = int(os.environ.get("BENCH_MSG_PUPILS", "1500"))
    school, ib, children, parents = _world(pupils)
    client = Client()
    client.force_login(ib)
    bare = bare_view_ms(client)
    rows = []

    def row(case, url, note=""):
        ms, queries = measure(client, url)
        rows.append(
            {"bench": "messaging", "case": case, "ms": ms, "baseline_ms": bare, "queries": queries, "note": note}
        )

    _threads(children, ib, 50)
    row("inbox, 50 threads (page of 25)", "/berichten/")
    _threads(children, ib, n_threads - 50, offset=50)
    row(f"inbox, {n_threads} threads (page of 25)", "/berichten/")
    row(f"API threads, {n_threads} threads (page of 50)", "/api/v1/threads/")

    small = Thread.objects.filter(created_by=ib).order_by("pk").first()
    big = Thread.objects.create(child=children[0], category="basic", subject="Lang gesprek", created_by=ib)
    _messages(small, [ib, parents[0]], 9)
    row("thread, 10 messages", f"/berichten/gesprek/{small.pk}/")
    _messages(big, [ib, parents[0]], n_messages)
    row(f"thread, {n_messages} messages (last page of 50)", f"/berichten/gesprek/{big.pk}/")
    row(f"API messages, {n_messages} messages (page of 50)", f"/api/v1/threads/{big.pk}/messages/")
    row(f"contact balance, class of {pupils // 8}", "/berichten/balans/")

    # One school-wide announcement: the request queues the delivery; the worker sends.
    mail.outbox = []
    queued_before = DBTaskResult.objects.count()
    start = time.perf_counter()
    response = client.post(
        "/berichten/mededelingen/nieuw/",
        {"target": f"school:{school.pk}", "title": "Studiedag", "body": "Vrijdag zijn alle kinderen vrij."},
    )
    request_ms = round((time.perf_counter() - start) * 1000, 2)
    assert response.status_code == 302, response.status_code
    queued = DBTaskResult.objects.count() - queued_before
    rows.append(
        {
            "bench": "messaging",
            "case": f"announcement to {pupils} pupils' guardians: request",
            "ms": request_ms,
            "baseline_ms": bare,
            "note": f"{queued} task queued, {len(mail.outbox)} e-mails sent inline",
        }
    )
    announcement = Announcement.objects.latest("pk")
    start = time.perf_counter()
    sent = deliver_announcement(announcement.pk)
    task_ms = round((time.perf_counter() - start) * 1000, 2)
    rows.append(
        {
            "bench": "messaging",
            "case": "announcement delivery task (worker)",
            "ms": task_ms,
            "note": f"{sent} e-mails + in-app notifications for {len(parents)} guardians; re-run sends "
            f"{deliver_announcement(announcement.pk)}",
        }
    )
    return rows
