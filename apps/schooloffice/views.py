"""The school office: pupils, groups, guardians, invitations (with letters) and gezag to confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.policy import log_list
from apps.accounts import bulk
from apps.accounts.models import InviteBatch
from apps.audit.log import Actor
from apps.circles import authority
from apps.organisations.models import Group

from . import selectors
from .permissions import office_school

PER_PAGE = 25


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("pagina"))


def _group_param(request, school) -> Group | None:
    value = request.GET.get("groep") or request.POST.get("groep") or ""
    return Group.objects.filter(school=school, pk=value).first() if value.isdigit() else None


def _log_children(request, children, label) -> None:
    unique = list({c.pk: c for c in children}.values())
    log_list(Actor.from_request(request), unique, label=label)


@login_required
def pupils(request):
    school = office_school(request, request.GET.get("school"))
    group = _group_param(request, school)
    query = request.GET.get("q", "")
    page = _page(request, selectors.school_pupils(request.user, school, query=query, group_id=group and group.pk))
    _log_children(request, page.object_list, _("de leerlingenlijst van de school"))
    context = {
        "school": school,
        "page": page,
        "query": query.strip()[:100],
        "group": str(group.pk) if group else "",
        "groups": selectors.school_groups(school),
    }
    return render(request, "schooloffice/pupils.html", context)


@login_required
def groups(request):
    school = office_school(request, request.GET.get("school"))
    years = selectors.school_years(school)
    year = request.GET.get("jaar") if request.GET.get("jaar") in years else (years[0] if years else None)
    context = {"school": school, "years": years, "year": year, "groups": selectors.school_groups(school, year)}
    return render(request, "schooloffice/groups.html", context)


@login_required
def guardians(request):
    school = office_school(request, request.GET.get("school"))
    page = _page(request, selectors.school_guardians(request.user, school))
    rows = list(page.object_list)
    newest = bulk.newest_invites([g.user for g in rows])
    _log_children(request, [g.child for g in rows], _("de lijst van ouders/verzorgers"))
    rows = [(g, bulk.guardian_status(g.user, newest.get(g.user_id))) for g in rows]
    return render(request, "schooloffice/guardians.html", {"school": school, "page": page, "rows": rows})


@login_required
def invitations(request):
    school = office_school(request, request.GET.get("school"))
    page = _page(request, selectors.school_invites(school))
    invites = list(page.object_list)
    _log_children(request, [c for inv in invites for c in inv.children.all()], _("de uitnodigingen van de school"))
    rows = [(inv, bulk.guardian_status(inv.user, inv) if inv.user_id else None) for inv in invites]
    context = {
        "school": school,
        "page": page,
        "rows": rows,
        "groups": selectors.school_groups(school),
        "batches": InviteBatch.objects.filter(school=school).select_related("group", "created_by")[:5],
        "to_invite": bulk.guardians_to_invite(school).count(),
    }
    return render(request, "schooloffice/invitations.html", context)


@require_POST
@login_required
def start_batch(request):
    """Invite every guardian without an active account, of one class or the whole school (a background task)."""
    school = office_school(request, request.POST.get("school"))
    batch = bulk.start_batch(by=request.user, school=school, group=_group_param(request, school))
    return redirect("schooloffice:batch", batch.pk)


@login_required
def batch(request, batch_id):
    school = office_school(request, request.GET.get("school"))
    item = get_object_or_404(InviteBatch.objects.select_related("group"), pk=batch_id, school=school)
    template = "schooloffice/_batch_progress.html" if request.htmx else "schooloffice/batch.html"
    return render(request, template, {"school": school, "batch": item})


@require_POST
@login_required
def resend(request, invite_id):
    school = office_school(request, request.POST.get("school"))
    invite = get_object_or_404(selectors.school_invites(school), pk=invite_id)
    try:
        bulk.resend(by=request.user, invite=invite)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("Er is een nieuwe uitnodiging gemaakt; de vorige link werkt niet meer."))
    return redirect("schooloffice:invitations")


@require_POST
@login_required
def letters(request):
    """A PDF with one letter per guardian without (working) e-mail: a fresh QR code and short code each."""
    school = office_school(request, request.POST.get("school"))
    invites = bulk.letter_invites(school, _group_param(request, school))
    if not invites:
        messages.info(
            request, _("Er zijn geen brieven nodig: elke ouder zonder account heeft een werkend e-mailadres.")
        )
        return redirect("schooloffice:invitations")
    response = HttpResponse(bulk.letters_pdf(invites=invites, school=school), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="uitnodigingsbrieven.pdf"'
    return response


@login_required
def gezag(request):
    school = office_school(request, request.GET.get("school"))
    page = _page(request, selectors.gezag_to_confirm(request.user, school))
    _log_children(request, [g.child for g in page.object_list], _("het gezag om te bevestigen"))
    return render(request, "schooloffice/gezag.html", {"school": school, "page": page})


@require_POST
@login_required
def confirm_gezag(request, guardianship_id):
    school = office_school(request, request.POST.get("school"))
    g = get_object_or_404(selectors.gezag_to_confirm(request.user, school), pk=guardianship_id)
    has_authority = request.POST.get("gezag") == "ja"
    recognised = {"ja": True, "nee": False}.get(request.POST.get("erkend", ""))
    try:
        authority.confirm_authority(
            actor=Actor.from_request(request),
            guardianship=g,
            has_authority=has_authority,
            information_mode=request.POST.get("informatie", ""),
            recognised_child=recognised,
        )
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("Het gezag van %(name)s is vastgelegd.") % {"name": g.user.full_name})
    return redirect("schooloffice:gezag")
