"""Pages for sick reports, the class register and signals: parse, call one service or selector, render."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.policy import Action, authorize, decide, log_list
from apps.access.shortcuts import child_for, load_child
from apps.accounts.limits import rate_limited, reauthentication_required
from apps.accounts.security_events import log_event
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.consent.models import Category
from apps.core.extensions import visible_child_ids
from apps.organisations.models import School

from . import overview as overviews
from . import permissions, selectors, services, texts
from .forms import (
    DuoStatusForm,
    JeugdartsReferralForm,
    LeaveDecisionForm,
    LeaveRequestForm,
    SickReportForm,
    StepForm,
    TestDayForm,
    WorryForm,
)
from .models import LeaveRequest, Reason, SickReport, Signal, Step, TestDay

HEALTH = Category.HEALTH


def _errors(e: ValidationError) -> str:
    return " ".join(e.messages)


@login_required
def sick_report(request):
    children = list(
        Child.objects.filter(pk__in=visible_child_ids(request.user, HEALTH), guardianships__user=request.user)
        .select_related("school", "group")
        .distinct()
    )
    form = SickReportForm(request.POST or None, children=children)
    if request.method == "POST" and not form.is_valid() and "child" in form.errors and request.POST.get("child"):
        log_event("sick_report_denied", "sick report for a child not among the user's", request=request,
                  user_id=request.user.pk, child=str(request.POST.get("child"))[:20])  # fmt: skip
    if request.method == "POST" and form.is_valid():
        child = load_child(form.cleaned_data["child"])
        try:
            report, created = services.report_sick(
                Actor.from_request(request), child, period=form.cleaned_data["period"], note=form.cleaned_data["note"]
            )
        except ValidationError as e:
            form.add_error(None, _errors(e))
        else:
            if created:
                messages.success(request, _("%(name)s is ziek gemeld. Beterschap!") % {"name": child.first_name})
            else:
                messages.info(request, _("%(name)s was al ziek gemeld voor vandaag.") % {"name": child.first_name})
            return redirect("attendance:child", child.pk)
    return render(request, "attendance/sick_report.html", {"form": form, "children": children})


@login_required
@require_POST
def report_healthy(request, report_id):
    report = get_object_or_404(SickReport.objects.select_related("child"), pk=report_id)
    services.report_healthy(Actor.from_request(request), report)
    messages.success(request, _("Fijn dat %(name)s weer beter is.") % {"name": report.child.first_name})
    return redirect("attendance:child", report.child_id)


@login_required
def child_absence(request, child_id):
    return _child_page(request, child_id)


def _child_page(request, child_id, *, leave_form=None):
    """The pupil's absence page; after a refused leave request it shows the parent's form as typed."""
    child = child_for(request, child_id, Action.VIEW, HEALTH, label=_("het verzuimoverzicht"))
    since = timezone.localdate() - timedelta(days=services.LOOKBACK_DAYS)
    overview = selectors.child_overview(child, since=since)
    is_staff = permissions.may_register(request.user, child)
    signals = [
        {"signal": s, "family": texts.family_text(s), "step": texts.proposed_step(s)} for s in overview["signals"]
    ]
    context = {
        "child": child,
        **overview,
        "signals": signals,
        "is_staff": is_staff,
        "may_report": permissions.may_report_sick(request.user, child),
        "worry_form": WorryForm(),
        "may_request_leave": permissions.may_request_leave(request.user, child),
        "leave_form": leave_form or LeaveRequestForm(),
        "decision_form": LeaveDecisionForm(),
        "may_decide": {lr.pk for lr in overview["leave_requests"] if permissions.may_decide_leave(request.user, lr)},
        "today": timezone.localdate(),
    }
    return render(request, "attendance/child.html", context)


@login_required
@require_POST
def flag_worry(request, child_id):
    child = load_child(child_id)
    form = WorryForm(request.POST)
    form.is_valid()
    try:
        services.flag_worry(Actor.from_request(request), child, note=form.cleaned_data.get("note", ""))
        messages.success(request, _("Het zorgsignaal staat klaar, met de volgende stap."))
    except ValidationError as e:
        messages.error(request, _errors(e))
    return redirect("attendance:child", child.pk)


@login_required
def register_index(request):
    groups = list(permissions.registrable_groups(request.user).select_related("school"))
    if len(groups) == 1:
        return redirect("attendance:register", groups[0].pk)
    return render(request, "attendance/register_index.html", {"groups": groups})


def _register_day(request) -> date:
    raw = request.POST.get("dag") or request.GET.get("dag")
    return (parse_date(raw) if raw else None) or timezone.localdate()


@login_required
def register(request, group_id):
    group = get_object_or_404(permissions.registrable_groups(request.user).select_related("school"), pk=group_id)
    lessons = services.lesson_settings(group.school)
    if lessons.per_lesson:
        return _lesson_register(request, group, lessons)
    day = _register_day(request)
    actor = Actor.from_request(request)
    pupils = selectors.class_pupils(request.user, group)
    typed = None
    if request.method == "POST":
        entries = {
            c.pk: {
                "reason": request.POST.get(f"reden-{c.pk}"),
                "hours": request.POST.get(f"uren-{c.pk}"),
                "note": request.POST.get(f"opmerking-{c.pk}"),
            }
            for c in pupils
        }
        try:
            changed = services.save_register(actor, pupils, day, entries)
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
            typed = entries  # shown again as typed: nothing is lost
        else:
            messages.success(request, _("Het register is opgeslagen (%(n)d gewijzigd).") % {"n": changed})
            return redirect(f"{request.path}?dag={day.isoformat()}")
    log_list(actor, pupils, label=_("het verzuimregister van de groep"))
    context = {
        "group": group,
        "day": day,
        "rows": services.register_rows(actor, pupils, day, typed=typed),
        "reasons": Reason.choices,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "is_school_day": services.calendar_for(group.school_id, day, day).is_school_day(day),
    }
    return render(request, "attendance/register.html", context)


def _lesson_register(request, group, lessons):
    """The register of one lesson (secondary school): `?dag=` and `?les=`; a bad lesson number is a 400."""
    day = _register_day(request)
    raw = request.POST.get("les") or request.GET.get("les") or "1"
    bad_lesson = False
    try:
        lesson = services.check_lesson(raw, lessons)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        lesson, bad_lesson = 1, True  # shown as lesson 1; a post with a bad lesson saves nothing
    actor = Actor.from_request(request)
    pupils = selectors.class_pupils(request.user, group)
    typed = None
    if request.method == "POST" and bad_lesson:
        typed = {
            c.pk: {"reason": request.POST.get(f"reden-{c.pk}"), "note": request.POST.get(f"opmerking-{c.pk}")}
            for c in pupils
        }
    elif request.method == "POST":
        entries = {
            c.pk: {"reason": request.POST.get(f"reden-{c.pk}"), "note": request.POST.get(f"opmerking-{c.pk}")}
            for c in pupils
        }
        try:
            changed = services.save_lesson_register(actor, pupils, day, lesson, entries)
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
            typed = entries
        else:
            messages.success(
                request,
                _("Lesuur %(lesson)d is opgeslagen (%(n)d gewijzigd).") % {"lesson": lesson, "n": changed},
            )
            following = min(lesson + 1, lessons.lessons_per_day)
            return redirect(f"{request.path}?dag={day.isoformat()}&les={following}")
    log_list(actor, pupils, label=_("het verzuimregister van de groep"))
    context = {
        "group": group,
        "day": day,
        "lesson": lesson,
        "lesson_numbers": range(1, lessons.lessons_per_day + 1),
        "rows": services.lesson_register_rows(pupils, day, lesson, typed=typed),
        "reasons": Reason.choices,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "is_school_day": services.calendar_for(group.school_id, day, day).is_school_day(day),
    }
    return render(request, "attendance/lesson_register.html", context)


@login_required
def signal_list(request):
    signals = list(selectors.visible_signals(request.user, open_only=request.GET.get("alle") != "1")[:200])
    log_list(
        Actor.from_request(request),
        list({s.child_id: s.child for s in signals}.values()),
        label=_("de verzuimsignalen"),
    )
    organisations = services.jeugdarts_organisations()
    rows = [
        {
            "signal": s,
            "step": texts.proposed_step(s),
            "family": texts.family_text(s),
            # MAZL step 4 from the signal, offered to who may refer (the policy's MANAGE_CIRCLE)
            "jeugdarts_form": JeugdartsReferralForm(
                organisations=organisations,
                initial={"question": services.default_jeugdarts_question(s)},
                prefix=f"s{s.pk}",
            )
            if s.step == Step.REFERRAL and not s.referral_id and may_refer(request.user, s.child)
            else None,
        }
        for s in signals
    ]
    leave = list(selectors.leave_to_decide(request.user)[:200])
    test_day_schools = [
        s for s in permissions.overview_schools(request.user) if permissions.may_manage_test_days(request.user, s)
    ]
    context = {"rows": rows, "leave": leave, "today": timezone.localdate(), "test_day_schools": test_day_schools}
    return render(request, "attendance/signals.html", context)


def _load_signal(request, pk) -> Signal:
    signal = get_object_or_404(Signal.objects.select_related("child__school", "school"), pk=pk)
    authorize(Actor.from_request(request), Action.VIEW, signal.child, HEALTH, obj=signal, label=_("een verzuimsignaal"))
    return signal


@login_required
@require_POST
def complete_step(request, pk):
    signal = _load_signal(request, pk)
    form = StepForm(request.POST)
    form.is_valid()
    try:
        services.complete_step(Actor.from_request(request), signal, note=form.cleaned_data.get("note", ""))
        messages.success(request, _("De stap is vastgelegd."))
    except ValidationError as e:
        messages.error(request, _errors(e))
    if request.POST.get("terug") == "kind":
        return redirect("attendance:child", signal.child_id)
    return redirect("attendance:signals")


def may_refer(user, child) -> bool:
    return decide(user, Action.MANAGE_CIRCLE, child, Category.SUPPORT).allowed


@login_required
@require_POST
def refer_to_jeugdarts(request, pk):
    signal = _load_signal(request, pk)
    form = JeugdartsReferralForm(request.POST, organisations=services.jeugdarts_organisations(), prefix=f"s{pk}")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("attendance:signals")
    try:
        actor = Actor.from_request(request)
        referral = services.refer_to_jeugdarts(actor, signal, request=request, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, _errors(e))
        return redirect("attendance:signals")
    messages.success(
        request,
        _(
            "Aangemeld bij %(org)s. De familie wordt om toestemming gevraagd; "
            "pas daarna ziet de jeugdarts de aanmelding."
        )
        % {"org": referral.organisation},
    )
    return redirect("attendance:signals")


@login_required
@require_POST
def plan_conversation(request, pk):
    signal = _load_signal(request, pk)
    try:
        conversation = services.plan_absence_conversation(Actor.from_request(request), signal)
    except ValidationError as e:
        messages.error(request, _errors(e))
        return redirect("attendance:signals")
    messages.success(
        request, _("Het gesprek is gepland en de uitnodiging is verstuurd. U kunt het tijdstip nog verzetten.")
    )
    return redirect("conversations:detail", conversation.pk)


def _load_duo_report(request, pk) -> Signal:
    signal = get_object_or_404(Signal.objects.select_related("child__school", "school"), pk=pk)
    try:
        return services.open_duo_report(Actor.from_request(request), signal)
    except ValidationError:
        raise Http404 from None


@login_required
def duo_report(request, pk):
    signal = _load_duo_report(request, pk)
    context = {
        "signal": signal,
        "fields": services.duo_fields(signal),
        "next_statuses": services.duo_next_statuses(request.user, signal),
        "status_form": DuoStatusForm(),
    }
    return render(request, "attendance/duo_report.html", context)


@login_required
def duo_report_csv(request, pk):
    """The report as CSV (one row), for the LAS or the dossier; logged as an export of HEALTH."""
    signal = _load_duo_report(request, pk)
    response = HttpResponse("\ufeff" + services.duo_csv(signal), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="melding-duo-{signal.pk}.csv"'
    return response


@login_required
@require_POST
def duo_status(request, pk):
    signal = _load_signal(request, pk)
    form = DuoStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies de nieuwe status van de melding."))
        return redirect("attendance:duo", signal.pk)
    try:
        services.set_duo_status(
            Actor.from_request(request), signal, form.cleaned_data["status"], reference=form.cleaned_data["reference"]
        )
        messages.success(request, _("De status van de melding is vastgelegd."))
    except ValidationError as e:
        messages.error(request, _errors(e))
    return redirect("attendance:duo", signal.pk)


# --- test days (toetsdagen) --------------------------------------------------------------------------------


def _test_day_school(request, school_id) -> School:
    school = get_object_or_404(School, pk=school_id)
    services.check_test_day_manager(Actor.from_request(request), school, request=request)
    return school


@login_required
def test_days(request, school_id):
    """The school's test days: list and add (absence on them counts for the pattern rule)."""
    school = _test_day_school(request, school_id)
    form = TestDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_test_day(Actor.from_request(request), school, **form.cleaned_data)
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("De toetsdag staat in de kalender."))
            return redirect("attendance:test_days", school.pk)
    today = timezone.localdate()
    days = TestDay.objects.filter(school=school)
    context = {
        "school": school,
        "form": form,
        "coming": [d for d in days if d.day >= today],
        "past": [d for d in days if d.day < today][-10:],
    }
    return render(request, "attendance/test_days.html", context)


@login_required
def remove_test_day(request, school_id, pk):
    """Removing asks first (GET shows the question, POST removes)."""
    school = _test_day_school(request, school_id)
    test_day = get_object_or_404(TestDay, pk=pk, school=school)
    if request.method == "POST":
        services.remove_test_day(Actor.from_request(request), test_day)
        messages.success(request, _("De toetsdag is uit de kalender gehaald."))
        return redirect("attendance:test_days", school.pk)
    return render(request, "attendance/test_day_remove.html", {"school": school, "test_day": test_day})


@login_required
@require_POST
def request_leave(request, child_id):
    child = load_child(child_id)
    form = LeaveRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul de soort verlof, de eerste en laatste dag en de reden in."))
        return _child_page(request, child.pk, leave_form=form)  # nothing typed is lost
    try:
        services.request_leave(Actor.from_request(request), child, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, _errors(e))
        return _child_page(request, child.pk, leave_form=form)
    messages.success(request, _("Uw verlofaanvraag is verstuurd. U krijgt bericht als er een besluit is."))
    return redirect("attendance:child", child.pk)


@login_required
@require_POST
def decide_leave(request, pk):
    leave = get_object_or_404(LeaveRequest.objects.select_related("child__school"), pk=pk)
    form = LeaveDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een besluit en schrijf de reden op; de ouders lezen die."))
        return redirect("attendance:child", leave.child_id)
    try:
        services.decide_leave(Actor.from_request(request), leave, **form.cleaned_data)
        messages.success(request, _("Het besluit is vastgelegd en de ouders krijgen bericht."))
    except ValidationError as e:
        messages.error(request, _errors(e))
    return redirect("attendance:child", leave.child_id)


# --- overview and export (issue 11, items 7 and 8) -------------------------------------------------------


def _refuse_overview(request, school, event: str, message: str):
    log_event(event, "absence overview refused", request=request, user_id=request.user.pk, school_id=school.pk)
    raise PermissionDenied(message)


def _overview_scope(request, school_id, *, export: bool = False):
    """The school and the classes asked for (`?groep=`), or 403 (logged) for anyone else."""
    school = get_object_or_404(School, pk=school_id)
    groups = permissions.overview_groups(request.user, school)
    if groups is None or (export and not permissions.may_export_absence(request.user, school)):
        _refuse_overview(request, school, "overview_denied", _("Het verzuimoverzicht van deze school is niet voor u."))
    raw_group = request.GET.get("groep")
    if raw_group:
        chosen = groups.filter(pk=raw_group) if raw_group.isdigit() else groups.none()
        if not chosen.exists():
            _refuse_overview(
                request, school, "overview_denied", _("Het verzuimoverzicht van deze groep is niet voor u.")
            )
        return school, groups, chosen
    return school, groups, groups


@login_required
def overview_index(request):
    schools = permissions.overview_schools(request.user)
    if len(schools) == 1:
        return redirect("attendance:overview", schools[0].pk)
    if not schools:
        raise PermissionDenied(_("Een verzuimoverzicht is er voor het team van een school."))
    return render(request, "attendance/overview_index.html", {"schools": schools})


@login_required
def overview(request, school_id):
    school, all_groups, groups = _overview_scope(request, school_id)
    try:
        first, last = overviews.parse_period(request.GET, school.pk)
    except overviews.InvalidPeriod as e:
        return HttpResponseBadRequest(str(e), content_type="text/plain; charset=utf-8")
    all_groups = list(all_groups)
    chosen = list(groups)
    data = overviews.build(request.user, school, chosen, first, last)
    rows = data.rows if len(chosen) > 1 else [data.total]
    context = {
        "school": school,
        "groups": all_groups,
        "group": chosen[0] if len(chosen) == 1 and request.GET.get("groep") else None,
        "data": data,
        "chart": overviews.chart(rows),
        "rows": rows,
        "may_export": permissions.may_export_absence(request.user, school),
        "query": request.GET.urlencode(),
    }
    return render(request, "attendance/overview.html", context)


@login_required
@reauthentication_required
@rate_limited("export")
def overview_export(request, school_id):
    """The registrations of a period as CSV; every pupil in it is logged as exported (HEALTH)."""
    school, _all_groups, groups = _overview_scope(request, school_id, export=True)
    try:
        first, last = overviews.parse_period(request.GET, school.pk)
    except overviews.InvalidPeriod as e:
        return HttpResponseBadRequest(str(e), content_type="text/plain; charset=utf-8")
    registrations = overviews.export_rows(request.user, school, list(groups), first, last)
    log_list(
        Actor.from_request(request),
        list({a.child_id: a.child for a in registrations}.values()),
        label=_("de verzuimexport"),
        category=HEALTH,
        action=Action.EXPORT,
    )
    response = HttpResponse("\ufeff" + overviews.export_csv(registrations), content_type="text/csv; charset=utf-8")
    name = f"verzuim-{school.pk}-{first.isoformat()}-{last.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
