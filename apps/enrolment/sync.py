"""Re-import is a sync: compare what a file says with what the school has (`plan`), then make it so
(`apply`). Keys come from the pupil administration (the LAS key per school, group and teacher keys),
never names. Nothing is deleted: a pupil missing from a complete pupil file is marked as left (`left_on`),
which starts the retention period (docs/import.md). A teacher missing from an EDEXML's leerkrachten block is
removed as staff (`organisations.services.remove_staff`), unless they are a child's coordinator: that needs a
warm handover, which only a person can choose, under Medewerkers.

Both steps cost a fixed number of queries whatever the number of rows: lookups are `__in` queries
keyed by the file's keys and e-mail addresses, writes are bulk_create / bulk_update.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.log import append
from apps.circles.models import Child, Guardianship
from apps.consent.models import Category
from apps.organisations import services as organisations
from apps.organisations.models import Group, Membership, Role, School
from apps.timeline.models import Kind as TimelineKind
from apps.timeline.models import TimelineEntry

from .parsers.records import SourceData, UnreadableFile


def school_year_on(day: date) -> str:
    """A Dutch school year runs from 1 August: on 15-09-2026 it is 2026-2027."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


@dataclass
class Plan:
    school: School
    school_year: str
    data: SourceData
    groups_new: list = field(default_factory=list)  # GroupRow
    groups_changed: list = field(default_factory=list)  # (Group, GroupRow)
    groups: dict = field(default_factory=dict)  # key -> Group (existing)
    pupils_new: list = field(default_factory=list)  # PupilRow
    pupils_changed: list = field(default_factory=list)  # (Child, PupilRow)
    pupils_moved: list = field(default_factory=list)  # (Child, PupilRow)
    pupils_unchanged: list = field(default_factory=list)  # (Child, PupilRow)
    pupils_left: list = field(default_factory=list)  # Child
    pupils_without_key: int = 0
    staff_new: list = field(default_factory=list)  # (StaffRow, User | None)
    staff_changed: list = field(default_factory=list)  # (Membership, StaffRow)
    staff_unchanged: list = field(default_factory=list)  # (Membership, StaffRow)
    staff_removed: list = field(default_factory=list)  # Membership: gone from the file, removed on apply
    staff_handover: list = field(default_factory=list)  # Membership: gone, but a coordinator: kept
    staff_kept: list = field(default_factory=list)  # messages: remove_staff refused one on apply
    guardians_new: list = field(default_factory=list)  # e-mail addresses of new accounts
    guardian_links: list = field(default_factory=list)  # (email, name, key, pupil_key)
    users: dict = field(default_factory=dict)  # email -> existing User

    @property
    def errors(self):
        return sorted(self.data.errors, key=lambda e: e.line)

    def summary(self) -> dict:
        """What the preview page, the API and the command show; JSON, stored on the ImportRun."""

        def name(child_or_row):
            if isinstance(child_or_row, Child):
                return {"key": child_or_row.las_key, "name": child_or_row.full_name}
            return {"key": child_or_row.key, "name": f"{child_or_row.first_name} {child_or_row.full_last_name}"}

        return {
            "school_year": self.school_year,
            "counts": {
                "pupils": {
                    "added": len(self.pupils_new),
                    "changed": len(self.pupils_changed),
                    "moved": len(self.pupils_moved),
                    "left": len(self.pupils_left),
                    "unchanged": len(self.pupils_unchanged),
                },
                "groups": {"added": len(self.groups_new), "changed": len(self.groups_changed)},
                "staff": {
                    "added": len(self.staff_new),
                    "changed": len(self.staff_changed),
                    "removed": len(self.staff_removed),
                },
                "guardians": {"added": len(self.guardians_new), "linked": len(self.guardian_links)},
            },
            "errors": [e.as_dict() for e in self.errors],
            "warnings": self.warnings(),
            "staff_handover": [_staff_name(m) for m in self.staff_handover],
            "details": {
                "added": [name(r) for r in self.pupils_new],
                "moved": [{**name(c), "to": self.group_name(r.group_key)} for c, r in self.pupils_moved],
                "changed": [name(c) for c, _r in self.pupils_changed],
                "left": [name(c) for c in self.pupils_left],
            },
        }

    def warnings(self) -> list[str]:
        out = []
        if self.pupils_without_key:
            out.append(
                _("%(n)s leerlingen zonder leerlingnummer zijn niet vergeleken en blijven zoals ze zijn.")
                % {"n": self.pupils_without_key}
            )
        if self.staff_handover:
            out.append(
                _(
                    "Niet meer in het bestand, maar aanspreekpunt van een kind: %(names)s. Dit vraagt eerst een "
                    "overdracht; verwijder deze medewerkers met de hand onder Medewerkers."
                )
                % {"names": ", ".join(_staff_name(m) for m in self.staff_handover)}
            )
        out.extend(self.staff_kept)
        return out

    def group_name(self, key: str) -> str:
        group = self.groups.get(key)
        if group is not None:
            return group.name
        return next((g.name for g in self.groups_new if g.key == key), key)


def _staff_name(member: Membership) -> str:
    return member.user.full_name or member.user.email


# --- plan: compare, change nothing -------------------------------------------------------------------------------


def plan(school: School, data: SourceData, *, today: date) -> Plan:
    _check_school(school, data)
    year = data.school_year or school_year_on(today)
    p = Plan(school=school, school_year=year, data=data)
    _plan_groups(p)
    _check_references(p)
    _plan_pupils(p)
    _plan_staff(p)
    _plan_guardians(p)
    return p


def _check_school(school: School, data: SourceData) -> None:
    if data.brin and school.brin and data.brin.upper() != school.brin.upper():
        raise UnreadableFile(
            _("Dit bestand hoort bij school %(file)s (BRIN), niet bij %(school)s (%(brin)s).")
            % {"file": data.brin, "school": school.name, "brin": school.brin}
        )
    if data.brin and not school.brin:
        raise UnreadableFile(_("Vul eerst het BRIN-nummer van %(school)s in.") % {"school": school.name})
    if data.vestiging and school.vestiging and data.vestiging != school.vestiging:
        raise UnreadableFile(
            _("Dit bestand hoort bij vestiging %(file)s, niet bij vestiging %(own)s.")
            % {"file": data.vestiging, "own": school.vestiging}
        )


def _plan_groups(p: Plan) -> None:
    existing = list(Group.objects.filter(school=p.school, school_year=p.school_year))
    by_key = {g.source_key: g for g in existing if g.source_key}
    by_name = {g.name: g for g in existing}
    seen = set()
    for row in p.data.groups:
        if row.key in seen:
            p.data.error(row.line, _("groep %(key)s staat twee keer in het bestand") % {"key": row.key})
            continue
        seen.add(row.key)
        group = by_name.get(row.key) if p.data.groups_by_name else by_key.get(row.key) or by_name.get(row.name)
        if group is None:
            p.groups_new.append(row)
            continue
        p.groups[row.key] = group
        kind = Group.Kind.COMPOSITE if row.composite else Group.Kind.BASE
        level = row.year_level or group.year_level
        if (group.name, group.year_level, group.kind, group.source_key) != (row.name, level, kind, row.key):
            p.groups_changed.append((group, row))
    if p.data.kind == "csv_staff":  # a staff file names groups the school already has
        p.groups.update({g.name: g for g in existing})


def _check_references(p: Plan) -> None:
    base = {g.key for g in p.data.groups if not g.composite} | {
        k for k, g in p.groups.items() if g.kind == Group.Kind.BASE
    }
    composite = {g.key for g in p.data.groups if g.composite}
    first_line = {}
    for row in p.data.pupils:
        if row.key in first_line:
            p.data.error(
                row.line,
                _("leerlingnummer %(key)s staat twee keer in het bestand (ook op regel %(other)s)")
                % {"key": row.key, "other": first_line[row.key]},
            )
        first_line.setdefault(row.key, row.line)
        if row.group_key not in base:
            p.data.error(row.line, _("groep %(key)s bestaat niet in dit bestand") % {"key": row.group_key or "-"})
        for key in row.extra_group_keys:
            if key not in composite:
                p.data.error(row.line, _("samengestelde groep %(key)s bestaat niet in dit bestand") % {"key": key})
    known = base | composite | set(p.groups)
    for row in p.data.staff:
        for key in row.group_keys:
            if key not in known:
                p.data.error(row.line, _("groep %(key)s bestaat niet") % {"key": key})


def _plan_pupils(p: Plan) -> None:
    if not p.data.pupils and not p.data.complete_pupils:
        return
    children = {
        c.las_key: c
        for c in Child.objects.filter(school=p.school)
        .exclude(las_key="")
        .select_related("group")
        .prefetch_related("extra_groups")
    }
    in_file = set()
    for row in p.data.pupils:
        if row.key in in_file:
            continue
        in_file.add(row.key)
        child = children.get(row.key)
        if child is None:
            p.pupils_new.append(row)
        elif _moved(p, child, row):
            p.pupils_moved.append((child, row))
        elif _changed(p, child, row):
            p.pupils_changed.append((child, row))
        else:
            p.pupils_unchanged.append((child, row))
    if p.data.complete_pupils:
        p.pupils_left = [c for key, c in children.items() if key not in in_file and c.left_on is None]
        p.pupils_without_key = Child.objects.filter(school=p.school, las_key="", left_on__isnull=True).count()


def _moved(p: Plan, child: Child, row) -> bool:
    target = p.groups.get(row.group_key)
    return target is None or target.pk != child.group_id


def _changed(p: Plan, child: Child, row) -> bool:
    extra = {p.groups[k].pk if k in p.groups else k for k in row.extra_group_keys}
    return (
        child.first_name != row.first_name
        or child.last_name != row.full_last_name
        or child.date_of_birth != row.date_of_birth
        or child.left_on is not None
        or extra != {g.pk for g in child.extra_groups.all() if g.school_year == p.school_year}
    )


def _existing_users(p: Plan, emails: set[str]) -> None:
    if emails:
        p.users.update({u.email: u for u in User.objects.filter(email__in=emails)})


def _plan_staff(p: Plan) -> None:
    if not p.data.staff and not p.data.complete_staff:
        return
    _existing_users(p, {r.email for r in p.data.staff})
    members = list(
        Membership.objects.filter(school=p.school, role=Role.TEACHER).select_related("user").prefetch_related("groups")
    )
    by_key = {m.source_key: m for m in members if m.source_key}
    by_user = {m.user_id: m for m in members}
    for row in p.data.staff:
        user = p.users.get(row.email)
        member = by_key.get(row.key) or (by_user.get(user.pk) if user else None)
        if member is None:
            p.staff_new.append((row, user))
            continue
        groups = {p.groups[k].pk if k in p.groups else k for k in row.group_keys}
        current = {g.pk for g in member.groups.all() if g.school_year == p.school_year}
        if (member.source_key, member.user.full_name, member.active) != (row.key, row.full_name, True) or (
            groups != current
        ):
            p.staff_changed.append((member, row))
        else:
            p.staff_unchanged.append((member, row))
    if p.data.complete_staff:
        _plan_staff_gone(p, members)


def _plan_staff_gone(p: Plan, members: list[Membership]) -> None:
    """Teachers with a key from the administration who are no longer in its leerkrachten block."""
    matched = {m.pk for m, _row in p.staff_changed + p.staff_unchanged}
    keys = p.data.staff_keys | {r.key for r in p.data.staff}
    for member in members:
        if not member.active or not member.source_key or member.source_key in keys or member.pk in matched:
            continue
        member.school = p.school
        if organisations.coordinated_children(member):
            p.staff_handover.append(member)
        else:
            p.staff_removed.append(member)


def _plan_guardians(p: Plan) -> None:
    links = [(g.email, g.name, g.key, k, g.line) for g in p.data.guardians for k in g.pupil_keys]
    links += [(e, "", "", r.key, r.line) for r in p.data.pupils for e in r.guardian_emails]
    if not links:
        return
    emails = {link[0] for link in links}
    _existing_users(p, emails)
    professionals = set(
        Membership.objects.filter(user__email__in=emails, active=True).values_list("user__email", flat=True)
    ) | {u.email for u in p.users.values() if u.is_staff and u.email in emails}
    known_pupils = {r.key for r in p.data.pupils} | set(
        Child.objects.filter(
            school=p.school, las_key__in={link[3] for link in links}, left_on__isnull=True
        ).values_list("las_key", flat=True)
    )
    existing = set(
        Guardianship.objects.filter(child__school=p.school, user__email__in=emails).values_list(
            "user__email", "child__las_key"
        )
    )
    new_emails = set()
    for email, name, key, pupil_key, line in links:
        if email in professionals:
            p.data.error(
                line, _("dit e-mailadres hoort bij een medewerker; een ouder heeft een eigen e-mailadres nodig")
            )
        elif pupil_key not in known_pupils:
            p.data.error(line, _("leerling %(key)s is niet bekend op deze school") % {"key": pupil_key})
        elif (email, pupil_key) not in existing:
            existing.add((email, pupil_key))
            p.guardian_links.append((email, name, key, pupil_key))
            if email not in p.users:
                new_emails.add(email)
    p.guardians_new = sorted(new_emails)


# --- apply: make it so, in bulk ---------------------------------------------------------------------------------


def apply(p: Plan, *, by, today: date, progress=None) -> dict:
    """Write the plan. The caller holds the transaction (services.apply_run): all or nothing."""
    step = progress or (lambda pct: None)
    groups = _apply_groups(p)
    step(55)
    _apply_staff(p, groups)
    _remove_staff(p, by=by)
    step(65)
    created = _apply_pupils(p, groups, by=by, today=today)
    step(85)
    _apply_guardians(p)
    _log_changes(p, created, by=by)
    step(95)
    return p.summary()


def _apply_groups(p: Plan) -> dict:
    new = Group.objects.bulk_create(
        [
            Group(
                school=p.school,
                school_year=p.school_year,
                name=row.name,
                year_level=row.year_level or 1,
                kind=Group.Kind.COMPOSITE if row.composite else Group.Kind.BASE,
                source_key="" if p.data.groups_by_name else row.key,
            )
            for row in p.groups_new
        ]
    )
    for group, row in p.groups_changed:
        group.name = row.name
        group.year_level = row.year_level or group.year_level
        group.kind = Group.Kind.COMPOSITE if row.composite else Group.Kind.BASE
        group.source_key = "" if p.data.groups_by_name else row.key
    Group.objects.bulk_update([g for g, _row in p.groups_changed], ["name", "year_level", "kind", "source_key"])
    groups = dict(p.groups)
    groups.update({row.key: g for row, g in zip(p.groups_new, new, strict=True)})
    if not all(g.pk for g in new):  # a backend without RETURNING: fetch once by name
        by_name = {g.name: g for g in Group.objects.filter(school=p.school, school_year=p.school_year)}
        groups.update({row.key: by_name[row.name] for row in p.groups_new})
    return groups


def _new_users(rows: list[tuple[str, str]]) -> dict:
    """Accounts without a usable password: people log in after an invitation (apps/accounts)."""
    unusable = make_password(None)
    User.objects.bulk_create([User(email=email, full_name=name[:150], password=unusable) for email, name in rows])
    return {u.email: u for u in User.objects.filter(email__in=[email for email, _name in rows])}


def _apply_staff(p: Plan, groups: dict) -> None:
    if not (p.staff_new or p.staff_changed):
        return
    created = _new_users([(row.email, row.full_name) for row, user in p.staff_new if user is None])
    users = {**p.users, **created}
    new_members = Membership.objects.bulk_create(
        [
            Membership(user=users[row.email], role=Role.TEACHER, school=p.school, source_key=row.key)
            for row, _user in p.staff_new
        ]
    )
    if not all(m.pk for m in new_members):
        keys = [row.key for row, _user in p.staff_new]
        new_members = list(Membership.objects.filter(school=p.school, source_key__in=keys).order_by("pk"))
    changed_users = []
    for member, row in p.staff_changed:
        member.source_key, member.active, member.ended_at = row.key, True, None
        if member.user.full_name != row.full_name:
            member.user.full_name = row.full_name
            changed_users.append(member.user)
    Membership.objects.bulk_update([m for m, _r in p.staff_changed], ["source_key", "active", "ended_at"])
    User.objects.bulk_update(changed_users, ["full_name"])
    rows = [(m, row) for m, (row, _u) in zip(new_members, p.staff_new, strict=True)] + list(p.staff_changed)
    _set_links(
        Membership.groups.through,
        "membership_id",
        [m.pk for m, _r in rows],
        {(m.pk, groups[k].pk) for m, row in rows for k in row.group_keys if k in groups},
        p,
    )


def _remove_staff(p: Plan, *, by) -> None:
    """Each in its own savepoint (remove_staff is atomic): one refused removal does not fail the import."""
    removed = []
    for member in p.staff_removed:
        try:
            organisations.remove_staff(by=by, membership=member)
        except ValidationError as e:
            p.staff_kept.append(
                _("%(name)s is niet verwijderd: %(reason)s")
                % {"name": _staff_name(member), "reason": " ".join(e.messages)}
            )
        else:
            removed.append(member)
    p.staff_removed = removed


def _set_links(through, owner_field: str, owner_ids: list[int], wanted: set[tuple[int, int]], p: Plan) -> None:
    """Replace the links of these owners to groups of this school year (other years stay: history)."""
    this_year = Group.objects.filter(school=p.school, school_year=p.school_year).values("pk")
    through.objects.filter(**{f"{owner_field}__in": owner_ids}, group_id__in=this_year).delete()
    through.objects.bulk_create([through(**{owner_field: owner, "group_id": group}) for owner, group in wanted])


def _apply_pupils(p: Plan, groups: dict, *, by, today: date) -> list[Child]:
    new = [
        Child(
            school=p.school,
            group=groups[row.group_key],
            las_key=row.key,
            first_name=row.first_name,
            last_name=row.full_last_name,
            date_of_birth=row.date_of_birth,
        )
        for row in p.pupils_new
    ]
    Child.objects.bulk_create(new)
    if new and not all(c.pk for c in new):
        by_key = {c.las_key: c for c in Child.objects.filter(school=p.school, las_key__in=[c.las_key for c in new])}
        new = [by_key[c.las_key] for c in new]
    updated = p.pupils_changed + p.pupils_moved
    for child, row in updated:
        child.first_name, child.last_name = row.first_name, row.full_last_name
        child.date_of_birth, child.left_on = row.date_of_birth, None
        child.group = groups[row.group_key]
    fields = ["first_name", "last_name", "date_of_birth", "left_on", "group"]
    Child.objects.bulk_update([c for c, _r in updated], fields)
    Child.objects.filter(pk__in=[c.pk for c in p.pupils_left]).update(left_on=today)
    # Pupils who left leave their composite groups' lists; their record (and stamgroep as history) stays.
    Child.extra_groups.through.objects.filter(child_id__in=[c.pk for c in p.pupils_left]).delete()
    rows = list(zip(new, p.pupils_new, strict=True)) + updated + p.pupils_unchanged
    _set_links(
        Child.extra_groups.through,
        "child_id",
        [c.pk for c, _r in rows],
        {(c.pk, groups[k].pk) for c, row in rows for k in row.extra_group_keys if k in groups},
        p,
    )
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                child=child,
                kind=TimelineKind.SCHOOL,
                happened_on=today,
                category=Category.BASIC,
                author=by,
                text=_("Nieuwe groep: %(group)s (%(year)s)") % {"group": child.group.name, "year": p.school_year},
            )
            for child, _row in p.pupils_moved
        ]
    )
    return new


def _apply_guardians(p: Plan) -> None:
    if not p.guardian_links:
        return
    names = {email: name for email, name, _key, _pupil in p.guardian_links if name}
    created = _new_users([(email, names.get(email, "")) for email in p.guardians_new])
    users = {**p.users, **created}
    children = dict(
        Child.objects.filter(school=p.school, las_key__in={link[3] for link in p.guardian_links}).values_list(
            "las_key", "pk"
        )
    )
    # Gezag is in no export (docs/import.md): every imported guardianship starts unconfirmed.
    Guardianship.objects.bulk_create(
        [
            Guardianship(
                child_id=children[pupil],
                user=users[email],
                source_key=key,
                authority_status=Guardianship.Authority.UNCONFIRMED,
            )
            for email, _name, key, pupil in p.guardian_links
        ]
    )


def _log_changes(p: Plan, created: list[Child], *, by) -> None:
    """One access-log entry per pupil the import created or changed, written in one go."""
    school = p.school.name
    entries = []
    changed = defaultdict(list)
    for child in created:
        changed[child.pk].append("create")
    for child, _row in p.pupils_changed + p.pupils_moved:
        changed[child.pk].append("change")
    for child in p.pupils_left:
        changed[child.pk].append("change")
    for child_id, actions in changed.items():
        entries.append(
            {
                "actor_id": by.pk if by else None,
                "actor_name": (by.full_name or by.email) if by else "import",
                "actor_role": "schooladministratie",
                "actor_organisation": school[:200],
                "child_id": child_id,
                "category": Category.BASIC,
                "object_type": "child",
                "object_id": str(child_id),
                "object_label": "de basisgegevens en de kring",
                "action": actions[0],
                "allowed": True,
                "basis": "import uit de leerlingadministratie",
                "channel": "import",
                # NEN 7513 fields (docs/audit-log.md): the person who ran the import is responsible for it.
                "purpose": "administration",
                "responsible_id": by.pk if by else None,
                "responsible_name": ((by.full_name or by.email) if by else "import")[:150],
                "access_point": "import",
            }
        )
    append(entries)
