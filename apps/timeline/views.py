"""Timeline pages: thin views around apps.timeline.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.policy import Action, authorize, decide
from apps.access.shortcuts import load_child
from apps.accounts.limits import rate_limited, reauthentication_required
from apps.audit.log import Actor
from apps.consent.models import Category
from apps.core.forms import add_service_errors
from apps.core.idempotency import submitted_once
from apps.core.params import int_param, year_param

from . import services
from .forms import EntryForm
from .models import Kind, TimelineEntry


@login_required
def timeline(request, child_id):
    child = load_child(child_id)
    actor = Actor.from_request(request, "web")
    form = None
    if request.method == "POST":
        writable = services.writable_categories(request.user, child)
        if not writable:  # may not add anything: a logged refusal (403)
            authorize(actor, Action.CREATE, child, Category.BASIC, label=_("een regel op de tijdlijn"))
        form = EntryForm(request.POST, categories=writable)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                with submitted_once(request) as first:
                    if not first:
                        return redirect("timeline:child", child.pk)
                    services.add_entry(actor, child, **data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("De regel staat op de tijdlijn."))
                return redirect("timeline:child", child.pk)
    kind = request.GET.get("soort", "")
    kind = kind if kind in Kind.values else ""
    author_id = int_param(request.GET.get("door"))
    year = year_param(request.GET.get("jaar"))
    data = services.read_timeline(
        actor, child, kind=kind, author_id=author_id, year=year, page=request.GET.get("pagina") or 1
    )
    if form is None and data.writable:
        form = EntryForm(
            categories=data.writable,
            initial={"happened_on": timezone.localdate(), "category": data.writable[0]},
        )
    context = {
        "child": child,
        "data": data,
        "form": form,
        "kinds": Kind.choices,
        "kind": kind,
        "author_id": author_id,
        "year": year,
        "can_export": any(decide(request.user, Action.EXPORT, child, c).allowed for c in data.categories),
    }
    return render(request, "timeline/timeline.html", context)


@login_required
def correct(request, entry_id):
    entry = get_object_or_404(TimelineEntry.objects.select_related("author"), pk=entry_id)
    child = load_child(entry.child_id)
    entry.child = child
    actor = Actor.from_request(request, "web")
    writable = services.writable_categories(request.user, child)
    stale = None
    if request.method == "POST":
        form = EntryForm(request.POST, categories=writable)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.correct_entry(actor, entry, expected_version=form.cleaned_data["version"] or 0, **data)
            except services.StaleEdit as e:
                stale = e.current
                form.add_error(None, e.messages[0])
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("De regel is verbeterd. De vorige versie blijft bewaard."))
                return redirect("timeline:child", child.pk)
    else:
        form = EntryForm(
            categories=writable,
            initial={f: getattr(entry, f) for f in services.TEXT_FIELDS} | {"version": entry.version},
        )
    context = {
        "child": child,
        "entry": entry,
        "form": form,
        "stale": stale,
        "revisions": services.history_of(actor, entry),  # the logged read (refused: 403)
        "can_correct": services.can_correct(request.user, entry),
    }
    return render(request, "timeline/correct.html", context)


@login_required
@reauthentication_required
@rate_limited("export")
def pdf(request, child_id):
    """The timeline as a PDF for a case discussion (WeasyPrint); exporting is its own logged action."""
    from weasyprint import HTML

    child = load_child(child_id)
    actor = Actor.from_request(request, "web")
    categories = services.log_read(actor, child, _("de tijdlijn (PDF)"), action=Action.EXPORT)
    entries = list(services.entries_for(request.user, child, categories=categories)[:2000])
    html = render_to_string(
        "timeline/print.html",
        {"child": child, "groups": services.group_by_year(entries), "today": timezone.localdate()},
        request=request,
    )
    content = HTML(string=html).write_pdf()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tijdlijn-{child.pk}.pdf"'
    return response
