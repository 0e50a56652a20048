"""What a parser hands to the sync: rows with their line number in the file, never model objects."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _


class UnreadableFile(Exception):
    """The file as a whole cannot be used (wrong format, too large, unsafe XML, another school). Dutch message."""


@dataclass
class RowError:
    line: int
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "message": self.message}

    def __str__(self):
        return _("regel %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class GroupRow:
    key: str
    name: str
    year_level: int = 0
    composite: bool = False
    line: int = 0


@dataclass
class PupilRow:
    line: int
    key: str
    first_name: str
    last_name: str
    date_of_birth: date
    prefix: str = ""
    group_key: str = ""
    extra_group_keys: list[str] = field(default_factory=list)
    guardian_emails: list[str] = field(default_factory=list)

    @property
    def full_last_name(self) -> str:
        return f"{self.prefix} {self.last_name}".strip()


@dataclass
class StaffRow:
    line: int
    key: str
    first_name: str
    last_name: str
    email: str
    prefix: str = ""
    group_keys: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.prefix, self.last_name) if p)


@dataclass
class GuardianRow:
    line: int
    email: str
    name: str = ""
    key: str = ""
    pupil_keys: list[str] = field(default_factory=list)


@dataclass
class SourceData:
    """Everything one file says. `complete_pupils` means the file lists every current pupil, so pupils
    missing from it have left; a guardians or staff file says nothing about pupils."""

    kind: str
    school_year: str = ""
    brin: str = ""
    vestiging: str = ""
    groups: list[GroupRow] = field(default_factory=list)
    pupils: list[PupilRow] = field(default_factory=list)
    staff: list[StaffRow] = field(default_factory=list)
    guardians: list[GuardianRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    complete_pupils: bool = False
    groups_by_name: bool = False  # CSV files name the group instead of referring to a key
    # An EDEXML with a leerkrachten block lists every current teacher: teachers missing from it have gone.
    complete_staff: bool = False
    staff_keys: set[str] = field(default_factory=set)  # every teacher key in the file, also rows with errors

    def error(self, line: int, message: str) -> None:
        self.errors.append(RowError(line, message))
