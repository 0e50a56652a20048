"""Help guide pages for families and children, question intake and handling, and the staff editor."""

from datetime import timedelta

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.policy import Action, decide, log_list
from apps.audit.log import Actor
from apps.core.idempotency import submitted_once
from apps.core.routers import replica_reads
from apps.organisations.models import School
from apps.translation.languages import SOURCE_LANGUAGE, reader_language
from apps.translation.rendering import translation_response

from . import permissions, rules, services
from .forms import GuideForm, HolidayForm, QuestionForm, StepForm, StepVersionForm, TopicForm
from .models import HelpQuestion, SchoolHoliday, Step, StepVersion, Topic

REPORT_PERIODS = ("4", "12", "52")


def _own_children(user):
    """The user's own children, and the user's own record from 12 (the policy's rule)."""
    return list(permissions.own_children(user).select_related("school"))


def _schools(user) -> list[School]:
    return list(School.objects.filter(pk__in=permissions.guide_school_ids(user)))


def _school(request) -> School:
    schools = _schools(request.user)
    wanted = request.GET.get("school") or request.POST.get("school") or ""
    school = next((s for s in schools if str(s.pk) == wanted), schools[0] if schools else None)
    if school is None:
        raise Http404
    return school


@login_required
@replica_reads
def guide(request):
    school = _school(request)
    g = services.guide_for(school)
    language, _note = reader_language(request)
    steps = list(
        g.steps.prefetch_related(
            Prefetch("versions", queryset=StepVersion.objects.filter(language=language), to_attr="own_language")
        )
    )
    for step in steps:  # a version the school wrote in the reader's language is shown first
        step.version_shown = step.own_language[0] if step.own_language and language != SOURCE_LANGUAGE else None
    return render(
        request,
        "helpguide/guide.html",
        {
            "school": school,
            "schools": _schools(request.user),
            "guide": g,
            "steps": steps,
            "can_edit": permissions.may_edit_guide(request.user, school.pk),
            "handles": permissions.handles_questions(request.user),
        },
    )


@login_required
def child_guide(request):
    school = _school(request)
    g = services.guide_for(school)
    return render(request, "helpguide/child_guide.html", {"school": school, "guide": g, "steps": g.steps.all()})


@login_required
def photo(request, step_id):
    step = get_object_or_404(Step.objects.select_related("guide"), pk=step_id)
    if not step.photo or step.guide.school_id not in {s.pk for s in _schools(request.user)}:
        raise Http404
    try:
        handle = step.photo.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    response = FileResponse(handle)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def ask(request):
    school = _school(request)
    g = services.guide_for(school)
    children = [
        c for c in _own_children(request.user) if c.school_id == school.pk and decide(request.user, Action.CREATE, c)
    ]
    if children:  # the form lists them by name
        log_list(Actor.from_request(request), children, label=_("de keuze van het kind bij een hulpvraag"))
    form = QuestionForm(request.POST or None, guide=g, children=children)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with submitted_once(request) as first:
                if not first:
                    return redirect("helpguide:mine")
                services.ask(
                    Actor.from_request(request),
                    topic=d["topic"],
                    text=d["text"],
                    preferred_contact=d["preferred_contact"],
                    contact_detail=d.get("contact_detail", ""),
                    child=d.get("child"),
                    interpreter=d.get("interpreter", False),
                    language=d.get("language", ""),
                )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            flash.success(request, _("Uw vraag is verstuurd. U ziet hier wie hem oppakt."))
            return redirect("helpguide:mine")
    routes = [(t, rules.route(t)) for t in g.topics.filter(active=True).select_related("handler", "guide")]
    return render(request, "helpguide/ask.html", {"school": school, "form": form, "routes": routes, "guide": g})


@login_required
def my_questions(request):
    questions = (
        permissions.own_questions(request.user)
        .select_related("topic", "assigned_to", "acknowledged_by", "child")
        .order_by("-created_at")
    )
    page = Paginator(questions, 20).get_page(request.GET.get("pagina"))
    services.log_shown(Actor.from_request(request), page.object_list, _("mijn hulpvragen"))
    return render(request, "helpguide/my_questions.html", {"page": page})


@login_required
def questions(request):
    if not permissions.handles_questions(request.user):
        raise Http404
    status = request.GET.get("status", "open")
    qs = permissions.handled_questions(request.user).select_related(
        "topic", "asker", "assigned_to", "escalated_to", "school", "child"
    )
    if status == "open":
        qs = qs.exclude(status=HelpQuestion.Status.DONE)
    page = Paginator(qs.order_by("due_at", "pk"), 25).get_page(request.GET.get("pagina"))
    services.log_shown(Actor.from_request(request), page.object_list, _("de hulpvragen"))
    return render(request, "helpguide/questions.html", {"page": page, "status": status, "now": timezone.now()})


@login_required
def question_detail(request, pk):
    question = get_object_or_404(
        HelpQuestion.objects.select_related(
            "topic", "asker", "assigned_to", "escalated_to", "acknowledged_by", "child"
        ),
        pk=pk,
    )
    if question.asker_id == request.user.pk:
        return redirect("helpguide:mine")
    if not permissions.may_handle(request.user, question):
        raise Http404
    actor = Actor.from_request(request)
    permissions.authorize_question(actor, Action.VIEW, question)  # a question about a child: the policy decides
    child_visible = question.child_id is not None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "acknowledge":
                services.acknowledge(actor, question, request.POST.get("version"))
                flash.success(request, _("U heeft de vraag opgepakt. De vrager ziet nu uw naam."))
            elif action == "complete":
                services.complete(actor, question, request.POST.get("version"))
                flash.success(request, _("De vraag is afgerond."))
        except ValidationError as e:
            flash.error(request, " ".join(e.messages))
        return redirect("helpguide:question", question.pk)
    return render(
        request,
        "helpguide/question.html",
        {"q": question, "child_visible": child_visible, "overdue": rules.is_overdue(question)},
    )


# --- staff: configure the guide without code -----------------------------------------------------------------------


def _editable_school(request, school_id) -> School:
    if not permissions.may_edit_guide(request.user, int(school_id)):
        raise Http404
    return get_object_or_404(School, pk=school_id)


@login_required
def manage(request, school_id):
    school = _editable_school(request, school_id)
    g = services.guide_for(school)
    form = GuideForm(request.POST or None, instance=g)
    if request.method == "POST" and form.is_valid():
        form.save()
        flash.success(request, _("De hulpwijzer is bewaard."))
        return redirect("helpguide:manage", school.pk)
    return render(
        request,
        "helpguide/manage.html",
        {"school": school, "form": form, "steps": g.steps.all(), "topics": g.topics.select_related("handler")},
    )


@login_required
def edit_step(request, school_id, step_id=None):
    school = _editable_school(request, school_id)
    g = services.guide_for(school)
    step = get_object_or_404(Step, pk=step_id, guide=g) if step_id else Step(guide=g, order=g.steps.count() + 1)
    form = StepForm(request.POST or None, request.FILES or None, instance=step)
    if request.method == "POST" and form.is_valid():
        form.save()
        flash.success(request, _("De stap is bewaard."))
        return redirect("helpguide:manage", school.pk)
    return render(request, "helpguide/edit.html", {"school": school, "form": form, "what": _("Stap")})


@login_required
@require_POST
def delete_step(request, school_id, step_id):
    school = _editable_school(request, school_id)
    get_object_or_404(Step, pk=step_id, guide__school=school).delete()
    flash.success(request, _("De stap is verwijderd."))
    return redirect("helpguide:manage", school.pk)


@login_required
def edit_topic(request, school_id, topic_id=None):
    school = _editable_school(request, school_id)
    g = services.guide_for(school)
    topic = get_object_or_404(Topic, pk=topic_id, guide=g) if topic_id else Topic(guide=g)
    form = TopicForm(request.POST or None, instance=topic, school=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        flash.success(request, _("Het onderwerp is bewaard."))
        return redirect("helpguide:manage", school.pk)
    return render(request, "helpguide/edit.html", {"school": school, "form": form, "what": _("Onderwerp")})


@login_required
def report(request):
    schools = School.objects.filter(pk__in=permissions.editable_schools(request.user)).order_by("name")
    if not schools:
        raise Http404
    weeks = request.GET.get("weken", "12")
    weeks = int(weeks) if weeks in REPORT_PERIODS else 12
    since = timezone.now() - timedelta(weeks=weeks)
    rows = []
    for school in schools:
        qs = list(
            HelpQuestion.objects.filter(school=school, created_at__gte=since).only(
                "created_at", "due_at", "acknowledged_at"
            )
        )
        rows.append({"school": school, "r": rules.response_report(qs)})
    return render(
        request, "helpguide/report.html", {"rows": rows, "weeks": weeks, "periods": [int(p) for p in REPORT_PERIODS]}
    )


@login_required
def holidays(request, school_id, holiday_id=None):
    """The school's holidays (not counted as school days for the acknowledgement deadline): list, add, edit."""
    school = _editable_school(request, school_id)
    holiday = (
        get_object_or_404(SchoolHoliday, pk=holiday_id, school=school) if holiday_id else SchoolHoliday(school=school)
    )
    form = HolidayForm(request.POST or None, instance=holiday)
    if request.method == "POST" and form.is_valid():
        form.save()
        flash.success(request, _("De schoolvakantie is bewaard."))
        return redirect("helpguide:holidays", school.pk)
    return render(
        request,
        "helpguide/holidays.html",
        {"school": school, "form": form, "holiday": holiday, "holidays": SchoolHoliday.objects.filter(school=school)},
    )


@login_required
@require_POST
def delete_holiday(request, school_id, holiday_id):
    school = _editable_school(request, school_id)
    get_object_or_404(SchoolHoliday, pk=holiday_id, school=school).delete()
    flash.success(request, _("De schoolvakantie is verwijderd."))
    return redirect("helpguide:holidays", school.pk)


# --- translated content (docs/translation.md) -----------------------------------------------------------------------


def _readable_step(request, step_id) -> Step:
    """A step of a guide this person may read: the same rule as the guide page and the photo."""
    step = get_object_or_404(Step.objects.select_related("guide").prefetch_related("versions"), pk=step_id)
    if step.guide.school_id not in {s.pk for s in _schools(request.user)}:
        raise Http404
    return step


@login_required
def translate_step(request, step_id):
    """A step in the reader's language: the school's own version first, else a machine translation."""
    step = _readable_step(request, step_id)
    return translation_response(
        request,
        services.step_parts(step),
        versions=services.step_versions(step),
        title=step.title,
        back=reverse("helpguide:guide") + f"?school={step.guide.school_id}",
    )


@login_required
def step_versions(request, school_id, step_id):
    """Write a step in another language by hand (the guide's editors)."""
    school = _editable_school(request, school_id)
    step = get_object_or_404(Step, pk=step_id, guide__school=school)
    language = request.POST.get("language") or request.GET.get("taal") or ""
    existing = step.versions.filter(language=language).first() if language else None
    form = StepVersionForm(request.POST or None, instance=existing, initial={"language": language})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.save_step_version(step, d["language"], d["title"], d["description"], d["what_next"])
        flash.success(request, _("De stap in deze taal is bewaard."))
        return redirect("helpguide:step_versions", school.pk, step.pk)
    return render(
        request,
        "helpguide/step_versions.html",
        {"school": school, "step": step, "form": form, "versions": step.versions.all()},
    )
