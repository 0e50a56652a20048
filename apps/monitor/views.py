"""Pages of the partnership monitor. Thin: the rules are in permissions.py, writes in services.py,
aggregates in results.py (docs/learning.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import limits
from apps.accounts.security_events import log_event
from apps.core.idempotency import submitted_once
from apps.knowledge.services import recommendations_for_keys

from . import charts, questions, results, services
from .forms import FilterForm, WaveForm
from .models import Finding, Participant, Perspective, Wave
from .permissions import MonitorAction, require, running_schools


def _wave(request, pk, action=MonitorAction.READ_RESULTS) -> Wave:
    wave = get_object_or_404(Wave.objects.select_related("school"), pk=pk)
    require(request, action, wave.school)
    return wave


@login_required
def index(request):
    schools = list(running_schools(request.user))
    waves = Wave.objects.filter(school__in=schools).select_related("school") if schools else Wave.objects.none()
    mine = Participant.objects.filter(user=request.user).select_related("wave__school").order_by("-wave__opens_on")
    return render(request, "monitor/index.html", {"schools": schools, "waves": waves, "mine": mine})


@login_required
def create(request):
    schools = running_schools(request.user)
    if not schools.exists():
        require(request, MonitorAction.RUN_WAVE, None)
    form = WaveForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require(request, MonitorAction.RUN_WAVE, data["school"])
        try:
            with submitted_once(request) as first:
                if not first:
                    return redirect("monitor:index")
                wave = services.start_wave(
                    school=data["school"], by=request.user, title=data["title"], closes_on=data["closes_on"],
                    groups=data["groups"], perspectives=data["perspectives"],
                )  # fmt: skip
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            messages.success(request, _("De peiling is gestart en de uitnodigingen zijn verstuurd."))
            return redirect("monitor:wave", wave.pk)
    return render(request, "monitor/create.html", {"form": form})


def _trend_chart(school_waves, totals):
    series = results.trend(school_waves, totals)
    labels = [w.title[:18] for w, _r in series]
    points = {}
    for p in results.PERSPECTIVES:
        values = []
        for _w, res in series:
            shown = [res.cell(p, k).mean for k in res.keys if p in res.perspectives and res.cell(p, k).shown]
            values.append(round(sum(shown) / len(shown), 1) if shown else None)
        if any(v is not None for v in values):
            points[p] = values
    rows = [(w, [(Perspective(p).label, vals[i]) for p, vals in points.items()]) for i, (w, _r) in enumerate(series)]
    svg = charts.trend_lines(points, labels, "trend", _("Verloop over de peilingen")) if points else ""
    return svg, rows, [Perspective(p).label for p in points]


@login_required
def wave(request, pk):
    wave = _wave(request, pk)
    filters = FilterForm(request.GET or None, wave=wave)
    group = perspective = None
    if filters.is_valid():
        group, perspective = filters.cleaned_data["group"], filters.cleaned_data["perspective"] or None
    school_waves = list(Wave.objects.filter(school=wave.school).order_by("-opens_on", "-pk")[:6])
    if wave not in school_waves:
        school_waves.append(wave)
    totals = results.aggregate_waves(school_waves)  # one pass for this wave's result and the trend
    result = results.wave_result(wave, group=group, perspective=perspective, school_totals=totals)
    weakest = result.weakest_keys()
    trend_svg, trend_rows, trend_labels = _trend_chart(school_waves, totals)
    return render(
        request,
        "monitor/wave.html",
        {
            "wave": wave,
            "filters": filters,
            "group": group,
            "result": result,
            "perspective_labels": [Perspective(p).label for p in result.perspectives],
            "chart": "" if result.withheld else charts.bars(result, "resultaat", _("Resultaat per sleutel")),
            "differences": result.difference_texts(),
            "weakest": [(k, questions.key_label(k)) for k in weakest],
            "suggestions": recommendations_for_keys(weakest)[:3] if weakest else [],
            "trend_svg": trend_svg,
            "trend_rows": trend_rows,
            "trend_labels": trend_labels,
            "invited": Participant.objects.filter(wave=wave).count(),
            "answered": Participant.objects.filter(wave=wave, answered=True).count(),
            "findings": Finding.objects.filter(wave=wave).select_related("action"),
        },
    )


@login_required
def export(request, pk):
    wave = _wave(request, pk)
    result = results.wave_result(wave)
    response = HttpResponse(results.csv_export(wave, result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="peiling-{wave.pk}.csv"'
    return response


@login_required
@require_POST
def remind(request, pk):
    wave = _wave(request, pk, MonitorAction.RUN_WAVE)
    try:
        n = services.send_reminders(wave)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Herinnering verstuurd aan %(n)d mensen die nog niet invulden.") % {"n": n})
    return redirect("monitor:wave", wave.pk)


@login_required
def codes(request, pk):
    wave = _wave(request, pk, MonitorAction.RUN_WAVE)
    rows = wave.child_codes.filter(used=False).select_related("group").order_by("group__name", "code")
    return render(request, "monitor/codes.html", {"wave": wave, "codes": rows})


@login_required
@require_POST
def act(request, pk):
    wave = _wave(request, pk, MonitorAction.ACT_ON_RESULT)
    try:
        finding = services.act_on_result(
            wave, request.POST.get("key", ""), by=request.user, summary=request.POST.get("summary", "")
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("monitor:wave", wave.pk)
    messages.success(request, _("De actie staat op het actiebord van de school."))
    return redirect("monitor:finding", finding.pk)


@login_required
def finding(request, pk):
    finding = get_object_or_404(Finding.objects.select_related("wave__school", "action"), pk=pk)
    require(request, MonitorAction.READ_RESULTS, finding.wave.school)
    return render(request, "monitor/finding.html", {"finding": finding, "key_label": questions.key_label(finding.key)})


def _questionnaire(perspective, data):
    """[(item, [(value, label, checked)])]: what was chosen stays chosen when the form comes back with an error."""
    scale = questions.scale_for(perspective)
    return [
        (item, [(v, label, data.get(item.code) == str(v)) for v, label in scale])
        for item in questions.items_for(perspective)
    ]


@login_required
def answer(request, pk):
    wave = get_object_or_404(Wave.objects.select_related("school"), pk=pk)
    participant = services.participation(wave, request.user)
    if participant is None:
        return render(request, "monitor/closed.html", {"reason": _("U bent niet uitgenodigd voor deze peiling.")},
                      status=404)  # fmt: skip
    if participant.answered:
        return render(request, "monitor/thanks.html", {"wave": wave, "again": True})
    if not wave.is_open():
        return render(request, "monitor/closed.html", {"reason": _("Deze peiling is gesloten.")})
    error = ""
    if request.method == "POST":
        try:
            services.submit(wave, request.user, request.POST)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            return redirect("monitor:thanks", wave.pk)
    return render(
        request,
        "monitor/answer.html",
        {"wave": wave, "items": _questionnaire(participant.perspective, request.POST), "error": error, "child": False},
    )  # fmt: skip


@login_required
def thanks(request, pk):
    wave = get_object_or_404(Wave, pk=pk)
    return render(request, "monitor/thanks.html", {"wave": wave, "again": False})


def child(request):
    """Children answer with a one-time code from their teacher (no account needed, nothing about them stored)."""
    code = (request.POST.get("code") or request.GET.get("code") or "").strip().upper()
    error = ""
    found = services.code_wave(code) if code else None
    if code and (found is None or found.used):
        if not limits.consume(request, "monitor_code"):  # guessing codes is limited per address
            log_event("rate_limited", "monitor code rate limit reached", request=request, action="monitor_code")
            return limits.too_many_requests(request, "monitor_code")
        error = _("Deze code klopt niet of is al gebruikt. Vraag je juf of meester om hulp.")
        found = None
    if found and request.method == "POST" and request.POST.get("answers") == "1":
        try:
            services.submit_child(code, request.POST)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            return render(request, "monitor/thanks.html", {"child": True})
    if found is None:
        return render(request, "monitor/child_code.html", {"error": error})
    return render(
        request,
        "monitor/answer.html",
        {
            "wave": found.wave,
            "items": _questionnaire(Perspective.CHILD, request.POST),
            "error": error,
            "child": True,
            "code": code,
            "action": reverse("monitor:child"),
        },
    )
