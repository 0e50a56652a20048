"""Pages of the import for a school's administration: upload, column mapping, preview, progress, history,
and the start of a new school year. Thin: each view calls one service and renders."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.organisations.models import School

from . import permissions, schoolyear, services
from .forms import MappingForm, UploadForm
from .models import ImportRun
from .parsers.records import UnreadableFile


def _school(request, school_id=None) -> School:
    ids = permissions.importable_school_ids(request.user)
    if school_id is None:
        if not ids:
            if request.user.is_staff:
                raise Http404
            permissions.check_may_import(request.user, School(pk=0), request)
        school_id = min(ids)
    school = get_object_or_404(School, pk=school_id)
    permissions.check_may_view(request.user, school, request)
    return school


def _run(request, pk) -> ImportRun:
    run = get_object_or_404(ImportRun.objects.select_related("school", "uploaded_by"), pk=pk)
    permissions.check_may_view(request.user, run.school, request)
    return run


@login_required
def index(request, school_id=None):
    school = _school(request, school_id)
    form = UploadForm()
    if request.method == "POST":
        permissions.check_may_import(request.user, school, request)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                upload = form.cleaned_data["file"]
                run = services.start_import(
                    user=request.user,
                    school=school,
                    file_name=upload.name,
                    content=services.read_upload(upload),
                    kind=form.cleaned_data["kind"],
                    request=request,
                )
                return redirect("enrolment:run", pk=run.pk)
            except UnreadableFile as e:
                form.add_error("file", str(e))
    return render(
        request,
        "enrolment/index.html",
        {
            "school": school,
            "form": form,
            "may_import": permissions.may_import(request.user, school),
            "runs": services.history(request.user, school)[:50],
            "schools": School.objects.filter(pk__in=permissions.importable_school_ids(request.user)),
        },
    )


@login_required
def run_detail(request, pk):
    run = _run(request, pk)
    context = {
        "run": run,
        "school": run.school,
        "summary": services.visible_summary(request.user, run),
        "may_import": permissions.may_import(request.user, run.school),
        "shows_names": permissions.may_see_pupil_names(request.user, run.school),
    }
    if run.status == ImportRun.Status.MAPPING and context["may_import"]:
        context["mapping_form"] = MappingForm(
            kind=run.kind, headers=services.headers_of(run), initial_mapping=run.mapping
        )
    return render(request, "enrolment/run.html", context)


@login_required
@require_POST
def mapping(request, pk):
    run = _run(request, pk)
    form = MappingForm(request.POST, kind=run.kind, headers=services.headers_of(run), initial_mapping=run.mapping)
    if form.is_valid():
        try:
            services.set_mapping(user=request.user, run=run, mapping=form.cleaned_data, request=request)
            return redirect("enrolment:run", pk=run.pk)
        except UnreadableFile as e:
            form.add_error(None, str(e))
    return render(
        request,
        "enrolment/run.html",
        {"run": run, "school": run.school, "mapping_form": form, "may_import": True, "summary": {}},
        status=400,
    )


@login_required
@require_POST
def confirm(request, pk):
    run = _run(request, pk)
    try:
        run = services.confirm(user=request.user, run=run, request=request)
    except UnreadableFile as e:
        flash.error(request, str(e))
    else:
        if run.status == ImportRun.Status.APPLIED:
            flash.success(request, _("De import is verwerkt."))
        elif run.status == ImportRun.Status.FAILED:
            flash.error(request, run.error)
    return redirect("enrolment:run", pk=run.pk)


@login_required
@require_POST
def discard(request, pk):
    run = services.discard(user=request.user, run=_run(request, pk), request=request)
    flash.success(request, _("De import is weggegooid; er is niets veranderd."))
    return redirect("enrolment:school", school_id=run.school_id)


@login_required
def progress(request, pk):
    """The progress bar, polled by htmx every two seconds while the import runs."""
    run = _run(request, pk)
    response = render(request, "enrolment/_progress.html", {"run": run})
    if run.status != ImportRun.Status.APPLYING and request.htmx:
        response["HX-Refresh"] = "true"  # done: reload the page to show the result
    return response


@login_required
def new_school_year(request, school_id):
    school = _school(request, school_id)
    if not permissions.may_import(request.user, school):
        raise PermissionDenied
    promotion = schoolyear.plan_promotion(school)
    if request.method == "POST":
        try:
            schoolyear.start_new_school_year(user=request.user, school=school, request=request)
        except UnreadableFile as e:
            flash.error(request, str(e))
        else:
            flash.success(request, _("Het nieuwe schooljaar %(year)s is begonnen.") % {"year": promotion.to_year})
            return redirect("enrolment:school", school_id=school.pk)
    return render(request, "enrolment/school_year.html", {"school": school, "promotion": promotion})
