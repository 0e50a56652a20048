"""Pages of the platform administrator (/platform/) and of school administrators (/organisatie/).

Thin views: each checks the rule in `permissions.py` (a refusal is 403 and a security-log line), calls one
service and renders. None of these pages shows child content, except the list of children whose
coordinator leaves (read through the access policy and logged, like every list of children).
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, authorize, log_list
from apps.accounts.models import Invite, User
from apps.accounts.security_events import log_event
from apps.audit.log import Actor

from . import permissions, services
from .forms import (
    AdministratorInviteForm,
    BoardForm,
    ConfirmForm,
    OrganisationForm,
    OrganisationStaffForm,
    RemoveStaffForm,
    SchoolForm,
    SearchForm,
    StaffChangeForm,
    StaffForm,
)
from .models import ADMIN_ROLES, Board, CareOrganisation, Membership, Role, School

PAGE_SIZE = 25
KINDS = {"besturen": Board, "scholen": School, "organisaties": CareOrganisation}
KIND_OF_MODEL = {Board: "board", School: "school", CareOrganisation: "organisation"}


def _refuse(request, what: str):
    log_event("admin_refused", "refused an administration page", request=request, user_id=request.user.pk, page=what)
    raise PermissionDenied(_("U mag deze beheerpagina niet gebruiken."))


def platform_admin_required(view):
    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.may_administer_platform(request.user):
            _refuse(request, view.__name__)
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))


def _search(request) -> str:
    form = SearchForm(request.GET)
    return form.cleaned_data["q"].strip() if form.is_valid() else ""


def _apply(form, call):
    """Run a service; its Dutch ValidationError lands on the form's fields. Returns the result or None."""
    try:
        return call()
    except ValidationError as e:
        if hasattr(e, "error_dict"):
            for field, errors in e.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, e)
        return None


def _detail_url(obj) -> str:
    kind = next(k for k, m in KINDS.items() if isinstance(obj, m))
    return reverse("organisations:detail", args=[kind, obj.pk])


# --- the platform administrator ----------------------------------------------------------------------------


@platform_admin_required
def platform_home(request):
    counts = {
        "boards": Board.objects.count(),
        "schools": School.objects.count(),
        "organisations": CareOrganisation.objects.count(),
        "people": Membership.objects.effective().values("user_id").distinct().count(),
    }
    return render(request, "organisations/platform_home.html", {"counts": counts})


SEARCH_FIELDS = {
    Board: ("name",),
    School: ("name", "brin", "city"),
    CareOrganisation: ("name", "city"),
}


@platform_admin_required
def organisation_list(request, kind):
    model = KINDS.get(kind) or _not_found()
    query = _search(request)
    items = model.objects.all()
    if model is School:
        items = items.select_related("board")
    if model is Board:
        items = items.annotate(school_count=Count("schools"))
    if query:
        condition = Q()
        for field in SEARCH_FIELDS[model]:
            condition |= Q(**{f"{field}__icontains": query})
        items = items.filter(condition)
    context = {"kind": kind, "page": _page(request, items.order_by("name", "pk")), "query": query}
    return render(request, "organisations/platform_list.html", context)


def _not_found():
    raise Http404


@platform_admin_required
def organisation_new(request, kind):
    model = KINDS.get(kind) or _not_found()
    form_class = {Board: BoardForm, School: SchoolForm, CareOrganisation: OrganisationForm}[model]
    initial = {}
    if model is School and request.GET.get("bestuur", "").isdigit():
        initial["board"] = Board.objects.filter(pk=request.GET["bestuur"]).first()
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        create = {
            Board: lambda: services.create_board(by=request.user, **data),
            School: lambda: services.create_school(by=request.user, **data),
            CareOrganisation: lambda: services.create_organisation(by=request.user, **data),
        }[model]
        obj = _apply(form, create)
        if obj is not None:
            messages.success(request, _("%(name)s is aangemaakt. Nodig nu de eerste beheerder uit.") % {"name": obj})
            return redirect(_detail_url(obj))
    return render(request, "organisations/platform_form.html", {"form": form, "kind": kind, "obj": None})


def _administrators(obj):
    """The administrators of a board, school or organisation, and the invites that are still open."""
    place = {KIND_OF_MODEL[type(obj)]: obj}
    roles = [*ADMIN_ROLES, Role.SCHOOL_ADMIN, Role.DIRECTOR]
    members = Membership.objects.filter(role__in=roles, active=True, **place).select_related("user")
    invites = Invite.objects.filter(kind=Invite.Kind.STAFF, used_at__isnull=True, **place).order_by("-created_at")
    return list(members.order_by("user__full_name")), list(invites[:20])


@platform_admin_required
def organisation_detail(request, kind, pk):
    model = KINDS.get(kind) or _not_found()
    obj = get_object_or_404(model, pk=pk)
    form_class = {Board: BoardForm, School: SchoolForm, CareOrganisation: OrganisationForm}[model]
    initial = {f: getattr(obj, f) for f in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = {
            Board: lambda: services.change_board(by=request.user, board=obj, **data),
            School: lambda: services.change_school(by=request.user, school=obj, **data),
            CareOrganisation: lambda: services.change_organisation(by=request.user, organisation=obj, **data),
        }[model]
        if _apply(form, change) is not None:
            messages.success(request, _("De wijziging is opgeslagen."))
            return redirect(_detail_url(obj))
    members, invites = _administrators(obj)
    context = {
        "kind": kind,
        "obj": obj,
        "form": form,
        "administrators": members,
        "invites": invites,
        "schools": obj.schools.order_by("name") if model is Board else None,
    }
    return render(request, "organisations/platform_detail.html", context)


@platform_admin_required
def organisation_set_active(request, kind, pk, active):
    model = KINDS.get(kind) or _not_found()
    obj = get_object_or_404(model, pk=pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and (active or form.is_valid()):
        services.set_active(by=request.user, obj=obj, active=active)
        if active:
            messages.success(request, _("%(name)s is weer actief.") % {"name": obj})
        else:
            messages.success(
                request, _("%(name)s is gedeactiveerd. De mensen daar hebben geen toegang meer.") % {"name": obj}
            )
        return redirect(_detail_url(obj))
    if active:
        return redirect(_detail_url(obj))
    people = Membership.objects.effective().filter(**{KIND_OF_MODEL[model]: obj}).count()
    if model is Board:
        people += Membership.objects.effective().filter(school__board=obj).count()
    return render(
        request, "organisations/confirm_deactivate.html", {"obj": obj, "form": form, "people": people, "kind": kind}
    )


@platform_admin_required
def invite_administrator(request, kind, pk):
    model = KINDS.get(kind) or _not_found()
    obj = get_object_or_404(model, pk=pk)
    place_kind = KIND_OF_MODEL[model]
    form = AdministratorInviteForm(request.POST or None, roles=services.FIRST_ADMIN_ROLES[place_kind])
    if request.method == "POST" and form.is_valid():
        added = _apply(
            form,
            lambda: services.invite_administrator(
                by=request.user, email=form.cleaned_data["email"], role=form.cleaned_data["role"], **{place_kind: obj}
            ),
        )
        if added is not None:
            if added.invite:
                messages.success(request, _("De uitnodiging is verstuurd. De link is 7 dagen geldig."))
            else:
                messages.success(request, _("Deze persoon had al een account en heeft de rol meteen gekregen."))
            return redirect(_detail_url(obj))
    return render(request, "organisations/invite_administrator.html", {"form": form, "obj": obj, "kind": kind})


@platform_admin_required
def user_list(request):
    """Professionals and administrators: names, e-mail and roles. Guardians and pupils are not listed here."""
    query = _search(request)
    people = User.objects.filter(Q(memberships__isnull=False) | Q(is_staff=True)).distinct()
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    roles = Membership.objects.filter(active=True).select_related("school", "organisation", "board")
    people = people.order_by("full_name", "pk").prefetch_related(
        Prefetch("memberships", queryset=roles, to_attr="roles")
    )
    return render(request, "organisations/platform_users.html", {"page": _page(request, people), "query": query})


# --- staff of a school -----------------------------------------------------------------------------------


def _managed_school(request, school_id) -> School:
    school = get_object_or_404(School, pk=school_id)
    if not permissions.may_manage_staff(request.user, school):
        _refuse(request, "staff")
    return school


@login_required
def staff_home(request):
    schools = permissions.staff_schools(request.user)
    if not schools:
        _refuse(request, "staff")
    return redirect("organisations:staff", schools[0].pk)


@login_required
def staff_list(request, school_id):
    school = _managed_school(request, school_id)
    query = _search(request)
    staff = Membership.objects.filter(school=school, active=True).select_related("user").prefetch_related("groups")
    if query:
        staff = staff.filter(Q(user__full_name__icontains=query) | Q(user__email__icontains=query))
    invites = Invite.objects.filter(kind=Invite.Kind.STAFF, school=school, used_at__isnull=True).order_by("-created_at")
    context = {
        "school": school,
        "page": _page(request, staff.order_by("user__full_name", "pk")),
        "query": query,
        "invites": invites.select_related("mail")[:20],
        "other_schools": [s for s in permissions.staff_schools(request.user) if s.pk != school.pk],
    }
    return render(request, "organisations/staff_list.html", context)


@login_required
def staff_add(request, school_id):
    school = _managed_school(request, school_id)
    form = StaffForm(request.POST or None, groups=services.current_groups(school))
    if request.method == "POST" and form.is_valid():
        added = _apply(form, lambda: services.add_staff(by=request.user, school=school, **form.cleaned_data))
        if added is not None:
            if added.invite:
                messages.success(request, _("De uitnodiging is verstuurd. De link is 7 dagen geldig."))
            else:
                messages.success(request, _("Deze persoon had al een account en kan meteen aan de slag."))
            return redirect("organisations:staff", school.pk)
    return render(request, "organisations/staff_form.html", {"form": form, "school": school, "membership": None})


def _staff_member(school, membership_id) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user", "school"), pk=membership_id, school=school)


@login_required
def staff_change(request, school_id, membership_id):
    school = _managed_school(request, school_id)
    membership = _staff_member(school, membership_id)
    initial = {"role": membership.role, "groups": list(membership.groups.all())}
    form = StaffChangeForm(request.POST or None, initial=initial, groups=services.current_groups(school))
    if request.method == "POST" and form.is_valid():
        changed = _apply(
            form, lambda: services.change_staff(by=request.user, membership=membership, **form.cleaned_data)
        )
        if changed is not None:
            messages.success(request, _("De wijziging is opgeslagen."))
            return redirect("organisations:staff", school.pk)
    context = {"form": form, "school": school, "membership": membership}
    return render(request, "organisations/staff_form.html", context)


@login_required
def staff_remove(request, school_id, membership_id):
    school = _managed_school(request, school_id)
    membership = _staff_member(school, membership_id)
    actor = Actor.from_request(request)
    children = services.coordinated_children(membership)
    # The remover reads these children's names and hands over their circles: the policy decides and logs.
    log_list(actor, children, label=_("de kinderen van wie een vertrekkende medewerker het aanspreekpunt is"))
    form = RemoveStaffForm(
        request.POST or None, children=children, candidates=services.coordinator_candidates(membership)
    )
    if request.method == "POST" and form.is_valid():
        for child in children:
            authorize(actor, Action.MANAGE_CIRCLE, child, label=_("het aanspreekpunt"))
        handovers = {
            child.pk: services.Handover(
                new_coordinator=form.cleaned_data[f"coordinator_{child.pk}"], note=form.cleaned_data[f"note_{child.pk}"]
            )
            for child in children
        }
        removed = _apply(
            form, lambda: services.remove_staff(by=request.user, membership=membership, handovers=handovers)
        )
        if removed is not None:
            messages.success(
                request, _("%(name)s heeft geen toegang meer tot deze school.") % {"name": membership.user}
            )
            return redirect("organisations:staff", school.pk)
    return render(
        request, "organisations/staff_remove.html", {"form": form, "school": school, "membership": membership}
    )


# --- people of a care organisation ------------------------------------------------------------------------


def _managed_organisation(request, organisation_id) -> CareOrganisation:
    organisation = get_object_or_404(CareOrganisation, pk=organisation_id)
    if not permissions.may_manage_organisation_staff(request.user, organisation):
        _refuse(request, "organisation_staff")
    return organisation


@login_required
def organisation_staff_home(request):
    organisations = permissions.staff_organisations(request.user)
    if not organisations:
        _refuse(request, "organisation_staff")
    return redirect("organisations:organisation_staff", organisations[0].pk)


@login_required
def organisation_staff(request, organisation_id):
    organisation = _managed_organisation(request, organisation_id)
    staff = Membership.objects.filter(organisation=organisation, active=True).select_related("user")
    invites = Invite.objects.filter(kind=Invite.Kind.STAFF, organisation=organisation, used_at__isnull=True)
    context = {
        "organisation": organisation,
        "page": _page(request, staff.order_by("user__full_name", "pk")),
        "invites": invites.order_by("-created_at")[:20],
        "others": [o for o in permissions.staff_organisations(request.user) if o.pk != organisation.pk],
    }
    return render(request, "organisations/organisation_staff.html", context)


@login_required
def organisation_staff_add(request, organisation_id):
    organisation = _managed_organisation(request, organisation_id)
    form = OrganisationStaffForm(request.POST or None, roles=services.organisation_roles(organisation))
    if request.method == "POST" and form.is_valid():
        added = _apply(
            form,
            lambda: services.add_organisation_staff(by=request.user, organisation=organisation, **form.cleaned_data),
        )
        if added is not None:
            if added.invite:
                messages.success(request, _("De uitnodiging is verstuurd. De link is 7 dagen geldig."))
            else:
                messages.success(request, _("Deze persoon had al een account en kan meteen aan de slag."))
            return redirect("organisations:organisation_staff", organisation.pk)
    return render(request, "organisations/organisation_staff_form.html", {"form": form, "organisation": organisation})


@login_required
def organisation_staff_deactivate(request, organisation_id, membership_id):
    organisation = _managed_organisation(request, organisation_id)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=membership_id, organisation=organisation
    )
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _apply(form, lambda: services.deactivate_organisation_staff(by=request.user, membership=membership))
        if done is not None:
            messages.success(
                request,
                _("%(name)s heeft geen toegang meer via %(org)s.") % {"name": membership.user, "org": organisation},
            )
            return redirect("organisations:organisation_staff", organisation.pk)
    context = {"form": form, "organisation": organisation, "membership": membership}
    return render(request, "organisations/organisation_staff_deactivate.html", context)


# --- the admin log ------------------------------------------------------------------------------------------


@login_required
def admin_log(request):
    if not permissions.may_read_admin_log(request.user):
        _refuse(request, "admin_log")
    entries = permissions.admin_log_for(request.user).select_related("school", "organisation", "board")
    return render(request, "organisations/admin_log.html", {"page": _page(request, entries)})
