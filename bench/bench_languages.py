"""Every parent's language (issue 13): the parent's pages in Arabic beside Dutch, each beside the bare view.

- the parent home (two children, their notifications) in Dutch and in Arabic (the account's language, so
  `PersonLanguageMiddleware` activates it; right to left, the glossary filter, dates in Arabic);
- an announcement page, in Dutch and in Arabic (with the school's own Arabic version of it).

The issue's goal: Arabic no slower than 1.1 times Dutch, and the same number of queries (docs/languages.md).
"""

from datetime import date


def _world():
    from django.contrib.auth.hashers import make_password
    from django.utils.translation import gettext_noop

    from apps.accounts.models import User
    from apps.circles.models import Child, Guardianship
    from apps.messaging.models import Announcement, AnnouncementVersion
    from apps.notifications.services import notify
    from apps.notifications.texts import Text
    from apps.organisations.models import Group, Membership, Role, School

    school = School.objects.create(name="Bench taalschool", brin="00TA")
    group = Group.objects.create(school=school, name="TA Groep 5", year_level=5, school_year="2026-2027")
    pw = make_password("bench-wachtwoord-1")
    teacher = User.objects.create(email="leerkracht@bench-ta.test", full_name="Leerkracht TA", password=pw)
    Membership.objects.create(user=teacher, role=Role.TEACHER, school=school).groups.set([group])
    parent = User.objects.create(email="ouder@bench-ta.test", full_name="Ouder TA", password=pw, language="nl")
    children = Child.objects.bulk_create(
        Child(first_name=f"Kind{i}", last_name=f"Ta{i}", date_of_birth=date(2017, 1 + i, 3), school=school, group=group)
        for i in range(2)
    )
    Guardianship.objects.bulk_create(Guardianship(child=c, user=parent, relation="mother") for c in children)
    for i in range(20):
        notify(
            parent,
            f"bench-languages:{i}",
            Text(gettext_noop("Nieuw bericht van %(author)s over %(child)s."), author=teacher, child="Kind0"),
        )
    announcement = Announcement.objects.create(
        school=school, group=group, title="Schoolreisje", body="Neem morgen een lunch en een regenjas mee. " * 20,
        author=teacher,
    )  # fmt: skip
    AnnouncementVersion.objects.create(
        announcement=announcement, language="ar", title="رحلة مدرسية", body="أحضروا غداً غداءً ومعطفاً للمطر. " * 20,
        author=teacher,
    )  # fmt: skip
    return parent, announcement


def run() -> list[dict]:
    from django.test import Client

    from bench.harness import bare_view_ms, measure

    parent, announcement = _world()
    client = Client()
    client.force_login(parent)
    bare = bare_view_ms(client)
    rows = []
    for name, url in [("parent home", "/"), ("announcement", f"/berichten/mededelingen/{announcement.pk}/")]:
        figures = {}
        for code in ("nl", "ar"):
            type(parent).objects.filter(pk=parent.pk).update(language=code)
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.get("Location"))
            ms, queries = measure(client, url)
            figures[code] = ms
            rows.append(
                {"bench": "languages", "case": f"{name}, {code}", "ms": ms, "baseline_ms": bare, "queries": queries}
            )
        rows[-1]["note"] = f"Arabic / Dutch: {figures['ar'] / figures['nl']:.2f}×"
    return rows
