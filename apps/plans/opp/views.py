"""OPP pages: thin views around apps.plans.opp.services (docs/opp.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access.policy import Action, authorize
from apps.access.shortcuts import load_child
from apps.accounts.limits import rate_limited, reauthentication_required
from apps.audit.log import Actor
from apps.core.forms import add_service_errors
from apps.core.versioning import StaleEdit

from .. import permissions
from ..models import Agreement, Goal
from ..opp_models import HandelingsdeelVersion, Opp, SupportLine
from ..services import PLAN_CATEGORY
from . import services
from .forms import (
    AnswerForm,
    BronForm,
    EvaluationForm,
    PerspectiveForm,
    ProposeForm,
    PupilViewForm,
    StartForm,
    SupportLineForm,
    ViewTextForm,
)

DONE = {
    "start": gettext_lazy("Het OPP is gestart."),
    "perspective": gettext_lazy("Het perspectief is opgeslagen."),
    "line": gettext_lazy("De ondersteuning staat in het handelingsdeel."),
    "remove_line": gettext_lazy("De ondersteuning is uit het concept gehaald. Eerdere versies blijven bewaard."),
    "propose": gettext_lazy("Het handelingsdeel ligt bij de ouders ter instemming."),
    "establish": gettext_lazy("Het handelingsdeel is vastgesteld."),
    "answer": gettext_lazy("Dank u. Uw antwoord is vastgelegd."),
    "parents_view": gettext_lazy("Uw zienswijze staat in het OPP."),
    "pupil_view": gettext_lazy("De mening van de leerling staat in het OPP."),
    "heard": gettext_lazy("Je hebt getekend dat je gehoord bent."),
    "bron": gettext_lazy("De BRON-datums zijn opgeslagen."),
    "evaluation": gettext_lazy("De evaluatie is gepland als gesprek. De ouders zijn uitgenodigd."),
}
FORMS = {
    "start": StartForm,
    "perspective": PerspectiveForm,
    "line": SupportLineForm,
    "propose": ProposeForm,
    "answer": AnswerForm,
    "parents_view": ViewTextForm,
    "pupil_view": PupilViewForm,
    "bron": BronForm,
    "evaluation": EvaluationForm,
}


def _handle(request, actor, child, opp, name, form):
    data = form.cleaned_data if form is not None else {}
    if name == "start":
        services.start_opp(actor, child, **data)
    elif opp is None:
        raise ValidationError(_("Er is nog geen OPP."))
    elif name == "perspective":
        data = dict(data)
        services.save_perspective(actor, opp, expected_version=data.pop("version"), **data)
    elif name == "line":
        services.add_support_line(actor, opp, **data)
    elif name == "remove_line":
        line = get_object_or_404(SupportLine, pk=request.POST.get("line"), opp=opp)
        line.opp = opp
        services.remove_support_line(actor, line)
    elif name == "propose":
        services.propose_version(actor, opp, **data)
    elif name == "establish":
        services.establish(actor, opp)
    elif name == "answer":
        version = get_object_or_404(HandelingsdeelVersion, pk=data["version"], opp=opp)
        version.opp = opp
        services.answer_version(actor, version, answer=data["answer"], reason=data["reason"])
    elif name == "parents_view":
        services.save_parents_view(actor, opp, data["text"])
    elif name == "pupil_view":
        services.save_pupil_view(actor, opp, data["text"])
    elif name == "heard":
        services.sign_heard(actor, opp)
    elif name == "bron":
        services.set_bron_dates(actor, opp, **data)
    elif name == "evaluation":
        services.plan_evaluation(actor, opp, **data)
    else:
        raise ValidationError(_("Onbekend formulier."))


@login_required
def opp_page(request, child_id):
    """The OPP: the perspective beside the pupil's and the parents' views, the handelingsdeel and its
    versions with every parent's answer; the forms each person may use."""
    child = load_child(child_id, "circle")
    actor = Actor.from_request(request, "web")
    bound = {}
    if request.method == "POST":
        name = request.POST.get("form", "")
        opp = Opp.objects.filter(child=child).first()
        if opp is not None:
            opp.child = child
        form = FORMS[name](request.POST) if name in FORMS else None
        if form is None or form.is_valid():
            try:
                _handle(request, actor, child, opp, name, form)
            except StaleEdit as e:
                form.add_error(None, e.messages[0])
                bound[name] = form
            except ValidationError as e:
                if form is None:
                    messages.error(request, " ".join(e.messages))
                    return redirect(services.opp_url(child) + "#handelingsdeel")
                add_service_errors(form, e)
                bound[name] = form
            else:
                messages.success(request, DONE.get(name, _("Opgeslagen.")))
                return redirect(services.opp_url(child))
        else:
            bound[name] = form
    goals = list(Goal.objects.filter(child=child).order_by("evaluate_on", "pk"))
    agreements = list(Agreement.objects.filter(child=child).select_related("owner").order_by("due", "pk"))
    view = services.read_opp(actor, child, goals=goals, agreements=agreements)
    user, today = request.user, timezone.localdate()
    can_draft = permissions.may_draft(user, child)
    can_consent = permissions.may_consent(user, child)
    opp = view.opp
    my_answer = None
    if view.latest is not None:
        my_answer = next((a for a in view.latest.answers.all() if a.user_id == user.pk), None)
    initial_perspective = {}
    if opp is not None:
        initial_perspective = {
            f: getattr(opp, f) for f in (*services.PERSPECTIVE_FIELDS, "oogo_held_on", "oogo_record")
        }
        initial_perspective["version"] = opp.version
    context = {
        "child": child,
        "v": view,
        "goals": goals,
        "agreements": agreements,
        "can_draft": can_draft,
        "can_consent": can_consent,
        "consent_refusal": "" if can_consent else _consent_refusal(user, child),
        "can_parents_view": permissions.may_write_parents_view(user, child),
        "can_pupil_view": permissions.may_write_pupil_view(user, child),
        "can_sign_heard": permissions.may_sign_heard(user, child, today),
        "is_pupil": permissions.is_pupil(user, child),
        "my_answer": my_answer,
        "required_names": [view.names.get(i, "") for i in (view.state.missing if view.state else [])],
        "start_form": bound.get("start") or StartForm(initial={"needed_since": today}),
        "perspective_form": bound.get("perspective") or PerspectiveForm(initial=initial_perspective),
        "line_form": bound.get("line") or SupportLineForm(initial={"starts_on": today}),
        "propose_form": bound.get("propose") or ProposeForm(),
        "answer_form": bound.get("answer") or AnswerForm(initial={"version": view.latest.pk if view.latest else None}),
        "parents_view_form": bound.get("parents_view")
        or ViewTextForm(initial={"text": opp.parents_view if opp else ""}),
        "pupil_view_form": bound.get("pupil_view") or PupilViewForm(initial={"text": opp.pupil_view if opp else ""}),
        "bron_form": bound.get("bron")
        or BronForm(initial={"started_on": opp.started_on, "ended_on": opp.ended_on} if opp else {}),
        "evaluation_form": bound.get("evaluation") or EvaluationForm(),
        "today": today,
    }
    return render(request, "plans/opp.html", context, status=400 if bound else 200)


def _consent_refusal(user, child) -> str:
    from apps.access.policy import decide

    if not any(g.user_id == user.pk for g in child.guardianships.all()):
        return ""
    return decide(user, Action.CONSENT_OPP, child, PLAN_CATEGORY).reason


@login_required
@reauthentication_required
@rate_limited("export")
def opp_pdf(request, child_id):
    """The OPP as a PDF (WeasyPrint), for the parents and the samenwerkingsverband; exporting is logged."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from weasyprint import HTML

    child = load_child(child_id, "circle")
    actor = Actor.from_request(request, "web")
    authorize(actor, Action.EXPORT, child, PLAN_CATEGORY, label=_("het OPP (PDF)"))
    goals = list(Goal.objects.filter(child=child).order_by("evaluate_on", "pk"))
    agreements = list(Agreement.objects.filter(child=child).select_related("owner").order_by("due", "pk"))
    view = services.read_opp(actor, child, goals=goals, agreements=agreements, log=False)
    html = render_to_string(
        "plans/opp_print.html",
        {"child": child, "v": view, "goals": goals, "agreements": agreements, "today": timezone.localdate()},
        request=request,
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="opp-{child.pk}.pdf"'
    return response


@login_required
def dispute_text(request, school_id):
    """The school's text for parents who disagree with the plan or the OPP (a default when left empty)."""
    from django.http import Http404

    from apps.organisations.models import School

    from ..opp_models import DisputeText

    if not permissions.may_edit_dispute_text(request.user, school_id):
        raise Http404
    school = get_object_or_404(School, pk=school_id)
    current = DisputeText.objects.filter(school=school).values_list("text", flat=True).first() or ""
    form = ViewTextForm(request.POST or None, initial={"text": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_dispute_text(school, form.cleaned_data["text"], request.user)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("De tekst is opgeslagen."))
            return redirect("plans:dispute_text", school.pk)
    context = {"school": school, "form": form, "default": services.DEFAULT_DISPUTE_TEXT}
    return render(request, "plans/dispute_text.html", context)
