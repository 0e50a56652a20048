"""The import flow: upload (checked before anything is parsed), column mapping for CSV, preview (a dry
run that changes nothing), confirm (apply in one transaction, in the background for large files) or
discard. Pages, the API and `manage.py import_school` all call these functions; they check access first.
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notifications.services import queue_mail

from . import permissions, sync
from .models import CSV_KINDS, ColumnMapping, ImportRun, Kind
from .parsers import csv as csv_parser
from .parsers import edexml
from .parsers.records import UnreadableFile

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# Above this many rows, applying runs as a background task with a progress bar and an e-mail when done.
BACKGROUND_ROWS = getattr(settings, "IMPORT_BACKGROUND_ROWS", 500)
ALLOWED_EXTENSIONS = (".xml", ".csv", ".txt")


def check_size(size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise UnreadableFile(
            _("Dit bestand is te groot (%(mb)s MB); het mag hoogstens %(max)s MB zijn.")
            % {"mb": round(size / 1024 / 1024, 1), "max": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    if size == 0:
        raise UnreadableFile(_("Het bestand is leeg."))


def read_upload(uploaded) -> bytes:
    """The bytes of an uploaded file, refused on size before a byte is parsed (SEC-23)."""
    check_size(uploaded.size)
    return uploaded.read(MAX_UPLOAD_BYTES + 1)


def detect_kind(file_name: str, content: bytes, requested: str = "") -> str:
    name = (file_name or "").lower()
    if not name.endswith(ALLOWED_EXTENSIONS):
        raise UnreadableFile(_("Dit bestand is geen CSV- of EDEXML-bestand (.csv of .xml)."))
    if edexml.looks_like_edexml(content):
        return Kind.EDEXML
    if name.endswith(".xml"):
        raise UnreadableFile(_("Dit bestand is geen CSV- of EDEXML-bestand."))
    headers, _rows = csv_parser.read_table(content)
    if requested in CSV_KINDS:
        return requested
    scores = {
        kind: len(csv_parser.suggest_mapping(kind, headers))
        - 10 * len(csv_parser.missing_fields(kind, csv_parser.suggest_mapping(kind, headers)))
        for kind in CSV_KINDS
    }
    return max(scores, key=scores.get)


def start_import(*, user, school, file_name: str, content: bytes, kind: str = "", request=None) -> ImportRun:
    """Store the upload and make the preview (or stop at the mapping step for a CSV that needs one)."""
    permissions.check_may_import(user, school, request)
    check_size(len(content))
    kind = detect_kind(file_name, content, kind)
    if kind == Kind.EDEXML:
        edexml.parse(content)  # refuse an unreadable or unsafe file before anything is stored
    run = ImportRun(
        school=school,
        uploaded_by=user,
        kind=kind,
        file_name=file_name[:255],
        checksum=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    if kind in CSV_KINDS:
        headers, _rows = csv_parser.read_table(content)
        remembered = ColumnMapping.objects.filter(school=school, kind=kind).values_list("mapping", flat=True).first()
        run.mapping = csv_parser.suggest_mapping(kind, headers, remembered)
        if remembered is None or csv_parser.missing_fields(kind, run.mapping):
            run.status = ImportRun.Status.MAPPING
    run.upload.save(f"{run.checksum[:12]}.upload", ContentFile(content), save=False)
    run.save()
    if run.status != ImportRun.Status.MAPPING:
        preview(run)
    return run


def headers_of(run: ImportRun) -> list[str]:
    with run.upload.open("rb") as f:
        return csv_parser.read_table(f.read())[0]


def set_mapping(*, user, run: ImportRun, mapping: dict, request=None) -> ImportRun:
    permissions.check_may_import(user, run.school, request)
    if run.status not in (ImportRun.Status.MAPPING, ImportRun.Status.PREVIEWED):
        raise UnreadableFile(_("Deze import is al verwerkt of weggegooid."))
    headers = headers_of(run)
    ours = {f.name for f in csv_parser.FIELDS[run.kind]}
    run.mapping = {k: v for k, v in mapping.items() if v in headers and k in ours}
    missing = csv_parser.missing_fields(run.kind, run.mapping)
    if missing:
        run.save(update_fields=["mapping"])
        raise UnreadableFile(_("Koppel eerst een kolom aan: %(fields)s.") % {"fields": ", ".join(missing)})
    ColumnMapping.objects.update_or_create(
        school=run.school, kind=run.kind, defaults={"mapping": run.mapping, "updated_at": timezone.now()}
    )
    run.status = ImportRun.Status.PREVIEWED
    run.save(update_fields=["mapping", "status"])
    return preview(run)


def _parse(run: ImportRun):
    with run.upload.open("rb") as f:
        content = f.read()
    if run.kind == Kind.EDEXML:
        return edexml.parse(content)
    return csv_parser.parse(run.kind, content, run.mapping)


def preview(run: ImportRun) -> ImportRun:
    """The dry run: reads the file and the school's data, writes only the summary on the run."""
    try:
        p = sync.plan(run.school, _parse(run), today=timezone.localdate())
        run.summary = p.summary()
    except UnreadableFile as e:
        run.summary = {"refused": str(e), "errors": [], "counts": {}}
    run.status = ImportRun.Status.PREVIEWED
    run.save(update_fields=["summary", "status"])
    return run


def row_count(run: ImportRun) -> int:
    counts = run.summary.get("counts", {})
    return sum(sum(v.values()) for v in counts.values())


def confirm(*, user, run: ImportRun, request=None) -> ImportRun:
    """Apply now, or as a background task for a large file (the page then polls its progress)."""
    permissions.check_may_import(user, run.school, request)
    if run.status == ImportRun.Status.APPLIED:
        return run
    if not run.can_apply:
        raise UnreadableFile(
            run.summary.get("refused")
            or _(
                "Deze import kan niet worden verwerkt: los eerst de fouten op in de leerlingadministratie en "
                "upload het bestand opnieuw."
            )
        )
    run.status, run.progress, run.applied_by = ImportRun.Status.APPLYING, 5, user
    run.save(update_fields=["status", "progress", "applied_by"])
    if row_count(run) > BACKGROUND_ROWS:
        from .tasks import apply_import_task

        apply_import_task.enqueue(run.pk)
        run.refresh_from_db()
        return run
    return apply_run(run.pk, mail=False)


def _progress(run: ImportRun):
    def step(pct: int) -> None:
        run.progress = pct
        ImportRun.objects.filter(pk=run.pk).update(progress=pct)

    return step


def apply_run(run_id: int, *, mail: bool = True) -> ImportRun:
    """Apply one confirmed run, all or nothing. The file is read again and compared with the data as it is
    now, so a change made since the preview is not overwritten blindly."""
    run = ImportRun.objects.select_related("school", "applied_by", "uploaded_by").get(pk=run_id)
    if run.status != ImportRun.Status.APPLYING:
        return run
    by = run.applied_by or run.uploaded_by
    try:
        data = _parse(run)
        _progress(run)(30)
        with transaction.atomic():
            p = sync.plan(run.school, data, today=timezone.localdate())
            if p.errors:
                raise UnreadableFile(_("Het bestand heeft fouten gekregen sinds het voorbeeld; upload het opnieuw."))
            run.result = sync.apply(p, by=by, today=timezone.localdate(), progress=_progress(run))
            run.status, run.progress, run.applied_at = ImportRun.Status.APPLIED, 100, timezone.now()
            run.save(update_fields=["result", "status", "progress", "applied_at"])
            if mail:
                _mail_done(run, by)
    except Exception as e:  # all or nothing: the transaction is rolled back, the run says why
        log.exception("import %s failed", run.pk)
        run.status, run.progress = ImportRun.Status.FAILED, 0
        run.error = str(e) if isinstance(e, UnreadableFile) else _("Er ging iets mis; er is niets veranderd.")
        run.save(update_fields=["status", "progress", "error"])
        if mail:
            _mail_done(run, by)
        return run
    _drop_file(run)
    return run


def _mail_done(run: ImportRun, user) -> None:
    if user is None or not user.email:
        return
    if run.status == ImportRun.Status.APPLIED:
        subject = _("Import verwerkt: %(file)s") % {"file": run.file_name}
        body = _("De import van %(file)s voor %(school)s is verwerkt. Bekijk wat er veranderde onder Import.")
    else:
        subject = _("Import mislukt: %(file)s") % {"file": run.file_name}
        body = _("De import van %(file)s voor %(school)s is niet verwerkt; er is niets veranderd. %(error)s")
    queue_mail(subject, body % {"file": run.file_name, "school": run.school.name, "error": run.error}, [user.email])


def _drop_file(run: ImportRun) -> None:
    """The upload holds pupils' data: it is kept only until the run is applied or discarded."""
    if run.upload:
        run.upload.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(upload="")


def discard(*, user, run: ImportRun, request=None) -> ImportRun:
    permissions.check_may_import(user, run.school, request)
    if run.status in (ImportRun.Status.MAPPING, ImportRun.Status.PREVIEWED, ImportRun.Status.FAILED):
        run.status = ImportRun.Status.DISCARDED
        run.save(update_fields=["status"])
        _drop_file(run)
    return run


def visible_summary(user, run: ImportRun) -> dict:
    """The summary as this person may see it: without pupils' names for anyone who may not import."""
    summary = dict(run.result or run.summary)
    if not permissions.may_see_pupil_names(user, run.school):
        summary.pop("details", None)
    return summary


def history(user, school):
    permissions.check_may_view(user, school)
    return ImportRun.objects.filter(school=school).select_related("uploaded_by", "applied_by")
