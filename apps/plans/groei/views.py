"""Groeidocument and family-plan pages: thin views around apps.plans.groei.services (docs/opp.md)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access.shortcuts import load_child
from apps.accounts.limits import rate_limited, reauthentication_required
from apps.audit.log import Actor
from apps.core.forms import add_service_errors
from apps.core.versioning import StaleEdit

from .. import permissions
from ..forms import AgreementForm
from ..groei_models import FamilyGoal, Groeidocument
from ..services import read_plan
from . import services
from .forms import (
    CloseForm,
    ExportConsentForm,
    FamilyGoalForm,
    MdoForm,
    ParentsPartForm,
    ReportForm,
    SchoolPartForm,
    StartForm,
)

DONE = {
    "school": gettext_lazy("Het deel van de school is opgeslagen."),
    "parents": gettext_lazy("Uw deel staat in het groeidocument."),
    "mdo": gettext_lazy("Het MDO is gepland."),
    "report": gettext_lazy("Het verslag is opgeslagen."),
    "agreement": gettext_lazy("De afspraak staat in het plan."),
    "close": gettext_lazy("Het groeidocument is gesloten. Het gaat niet meer mee in een aanvraag."),
    "consent": gettext_lazy("Dank u. Uw keuze is vastgelegd."),
}


def _forms(child, data=None):
    return {
        "school": SchoolPartForm(data),
        "parents": ParentsPartForm(data),
        "mdo": MdoForm(data, child=child),
        "report": ReportForm(data),
        "agreement": AgreementForm(data, child=child),
        "close": CloseForm(data),
        "consent": ExportConsentForm(data),
    }


def _handle(actor, doc, name, data):
    if name == "school":
        data = dict(data)
        services.save_school_part(actor, doc, expected_version=data.pop("version"), **data)
    elif name == "parents":
        services.save_parents_part(actor, doc, **data)
    elif name == "mdo":
        services.plan_mdo(
            actor, doc, conversation=data["conversation"], mdo_on=data["mdo_on"], participants=data["participants"]
        )
    elif name == "report":
        services.save_report(actor, doc, report=data["report"])
    elif name == "agreement":
        services.add_mdo_agreement(
            actor, doc, what=data["what"], owner=data["owner"], due=data["due"], goal=data["goal"]
        )
    elif name == "close":
        if not data["sure"]:
            raise ValidationError({"sure": _("Vink aan dat u het groeidocument wilt sluiten.")})
        services.close(actor, doc, reason=data["reason"])
    elif name == "consent":
        services.give_export_consent(actor, doc, categories=data["categories"])


@login_required
def child_documents(request, child_id):
    """The child's groeidocumenten: the open one (or a form to start one) and the closed ones."""
    child = load_child(child_id, "circle")
    actor = Actor.from_request(request, "web")
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.start(actor, child, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Het groeidocument is gestart. Vul het samen met de ouders in."))
            return redirect(services.doc_url(doc))
    docs = services.documents_of(actor, child)
    context = {
        "child": child,
        "open_doc": next((d for d in docs if not d.is_closed), None),
        "closed_docs": [d for d in docs if d.is_closed],
        "can_draft": permissions.may_draft(request.user, child),
        "form": form,
    }
    return render(request, "plans/groeidocumenten.html", context, status=400 if form.errors else 200)


def _load(doc_id):
    doc = get_object_or_404(Groeidocument, pk=doc_id)
    doc.child = load_child(doc.child_id, "circle")
    return doc


@login_required
def document(request, doc_id):
    """One groeidocument: the school's and the parents' parts side by side (the MDO's agenda), the MDO,
    its report and agreements, what goes with the request; read-only once closed."""
    doc = _load(doc_id)
    child = doc.child
    actor = Actor.from_request(request, "web")
    bound = {}
    if request.method == "POST":
        name = request.POST.get("form", "")
        forms = _forms(child, request.POST)
        form = forms.get(name)
        if form is None:
            messages.error(request, _("Onbekend formulier."))
            return redirect(services.doc_url(doc))
        if form.is_valid():
            try:
                _handle(actor, doc, name, form.cleaned_data)
            except StaleEdit as e:
                form.add_error(None, e.messages[0])
                bound[name] = form
            except ValidationError as e:
                add_service_errors(form, e)
                bound[name] = form
            else:
                messages.success(request, DONE[name])
                return redirect(services.doc_url(doc))
        else:
            bound[name] = form
    view = services.read(actor, doc)
    labels = _category_labels()
    for c in view.consents:
        c.labels = [labels.get(x, x) for x in c.categories]
    user = request.user
    mine = [c for c in view.consents if c.user_id == user.pk]
    initial = _forms(child)
    initial["school"] = SchoolPartForm(
        initial={
            "school_question": doc.school_question,
            "school_view": doc.school_view,
            "needs": doc.needs,
            "request_kind": doc.request_kind,
            "version": doc.version,
        }
    )
    initial["parents"] = ParentsPartForm(
        initial={"parents_view": doc.parents_view, "parents_question": doc.parents_question}
    )
    initial["mdo"] = MdoForm(
        initial={"conversation": doc.mdo_conversation_id, "mdo_on": doc.mdo_on, "participants": doc.mdo_participants},
        child=child,
    )
    initial["report"] = ReportForm(initial={"report": doc.mdo_report})
    initial["consent"] = ExportConsentForm(initial={"categories": mine[-1].categories if mine else []})
    forms = {name: bound.get(name) or form for name, form in initial.items()}
    context = {
        "child": child,
        "doc": doc,
        "v": view,
        "forms": forms,
        "can_draft": permissions.may_draft(user, child) and not doc.is_closed,
        "can_parents": permissions.may_write_parents_view(user, child) and not doc.is_closed,
        "can_consent": permissions.may_consent(user, child) and not doc.is_closed,
        "can_export": permissions.may_export_request(user, child) and not doc.is_closed,
        "missing_names": [view.names.get(i, "") for i in view.state.missing],
        "my_consent": mine[-1] if mine else None,
    }
    return render(request, "plans/groeidocument.html", context, status=400 if bound else 200)


def _category_labels() -> dict:
    from apps.consent.models import Category

    return {c.value: c.label for c in Category}


def _export_or_back(request, doc):
    try:
        return services.export(Actor.from_request(request, "web"), doc), None
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return None, redirect(services.doc_url(doc))


@login_required
@reauthentication_required
@rate_limited("export")
def document_json(request, doc_id):
    """The request to the samenwerkingsverband as JSON (only what the family allowed); logged as an export."""
    doc = _load(doc_id)
    data, back = _export_or_back(request, doc)
    if back is not None:
        return back
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="groeidocument-{doc.pk}.json"'
    return response


@login_required
@reauthentication_required
@rate_limited("export")
def document_pdf(request, doc_id):
    """The request to the samenwerkingsverband as a PDF (WeasyPrint), the same content as the JSON."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    doc = _load(doc_id)
    data, back = _export_or_back(request, doc)
    if back is not None:
        return back
    html = render_to_string(
        "plans/groeidocument_print.html",
        {
            "child": doc.child,
            "doc": doc,
            "data": data,
            "today": timezone.localdate(),
            "consent_labels": [_category_labels().get(c, c) for c in data["consent"]["categories"]],
        },
        request=request,
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="groeidocument-{doc.pk}.pdf"'
    return response


@login_required
def family_plan(request, child_id):
    """The family's own plan (familiegroepsplan): their goals per life domain in their own words, and the
    professionals' goals that build on them. Only the family writes here."""
    child = load_child(child_id, "circle")
    actor = Actor.from_request(request, "web")
    form = FamilyGoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("goal"):
                goal = get_object_or_404(FamilyGoal, pk=data["goal"], child=child)
                goal.child = child
                services.change_family_goal(
                    actor,
                    goal,
                    life_domain=data["life_domain"],
                    text=data["text"],
                    expected_version=data["version"] or 0,
                )
            else:
                services.add_family_goal(actor, child, life_domain=data["life_domain"], text=data["text"])
        except StaleEdit as e:
            form.add_error(None, e.messages[0])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Uw doel staat in het plan van het gezin."))
            return redirect(reverse("plans:family_plan", args=[child.pk]))
    plan = read_plan(actor, child, record_visit=False)
    part = services.plan_by_domain(child, plan.goals)
    context = {
        "child": child,
        "part": part,
        "form": form,
        "can_write": permissions.may_write_family_plan(request.user, child),
    }
    return render(request, "plans/family_plan.html", context, status=400 if form.errors else 200)
