from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.access.policy import guardianships_of, log_list, memberships_of, visible_children
from apps.accounts.limits import has_search_query, rate_limited
from apps.audit.log import Actor
from apps.circles.models import Child, Guardianship
from apps.core.extensions import attention_items
from apps.core.health import readiness
from apps.core.jobs import job_of
from apps.core.params import int_param
from apps.organisations.models import OUTSIDE_ROLES, Group
from apps.referrals.selectors import coverage_for


def pupil_only(user) -> bool:
    """A pupil with an account and no other place: addressed with "je" (docs/web-app.md)."""
    return (
        hasattr(user, "child_record")
        and not memberships_of(user)
        and not Child.objects.filter(guardianships__user=user).exists()
    )


def outside_only(memberships) -> bool:
    return bool(memberships) and all(m.role in OUTSIDE_ROLES for m in memberships)


@login_required
@rate_limited("search", when=has_search_query)
def home(request):
    """Home per role: 'Mijn kinderen' for guardians, 'Mijn leerlingen' for staff, own record for a pupil."""
    user = request.user
    # A parent without gezag sees a child here only through what the school granted (BW 1:377c); until then
    # only a link to ask (docs/guardians-and-gezag.md).
    modes = {g.information_mode for g in guardianships_of(user).values()}
    own_children = []
    if modes:
        own_children = list(
            Child.objects.filter(guardianships__user=user, pk__in=visible_children(user).values("pk"))
            .select_related("group", "school")
            .prefetch_related("guardianships")  # what the policy reads when the list is logged
            .order_by("first_name")
        )
    own_record = getattr(user, "child_record", None) if hasattr(user, "child_record") else None
    context = {
        "own_children": own_children,
        "own_record": own_record,
        "memberships": memberships_of(user),
        "may_ask_information": Guardianship.InformationMode.ON_REQUEST in modes,
    }
    context["pupil_only"] = bool(own_record) and not own_children and not context["memberships"] and not modes
    if context["memberships"]:
        pupils = (
            visible_children(user)
            .select_related("group", "school")
            .prefetch_related("guardianships")
            .order_by("group__year_level", "last_name")
        )
        query = request.GET.get("q", "").strip()[:100]
        group = request.GET.get("groep", "")
        if query:
            pupils = pupils.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query))
        groups = Group.objects.filter(pk__in=visible_children(user).values("group_id")).order_by("year_level", "name")
        if (group_id := int_param(group)) is not None:
            pupils = pupils.filter(group_id=group_id)
        page = Paginator(pupils, 25).get_page(request.GET.get("pagina"))
        log_list(Actor.from_request(request), list(page.object_list))
        context.update({"page": page, "query": query, "group": group, "groups": groups})
        if outside_only(context["memberships"]):  # a youth-care worker: "Mijn kinderen", with what they see
            coverage = coverage_for(user, page.object_list)
            context.update({"outside": True, "groups": [], "rows": [(c, coverage.get(c.pk)) for c in page]})
    if own_children or own_record:
        log_list(
            Actor.from_request(request),
            [*own_children, *([own_record] if own_record else [])],
            label=_("het overzicht van de eigen kinderen"),
        )
    template = "core/_pupil_rows.html" if request.htmx and "page" in context else "core/home.html"
    return render(request, template, context)


@login_required
def attention(request):
    """The "Vraagt uw aandacht" panel: what waits for this person in every app. The home page loads it after first
    paint (htmx), and links here when scripts do not run (docs/performance.md)."""
    template = "core/_attention.html" if request.htmx else "core/attention.html"
    context = {"attention": attention_items(request.user), "pupil_only": pupil_only(request.user)}
    return render(request, template, context)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def readyz(request):
    checks = readiness()
    ready = all(checks.values())
    body = {"status": "ok" if ready else "fail", "checks": {k: "ok" if v else "fail" for k, v in checks.items()}}
    return JsonResponse(body, status=200 if ready else 503)


@login_required
def job(request, job_id):
    """The progress of a background job, for its starter only (others get 404: no job ids to probe)."""
    found = job_of(request.user, job_id)
    if found is None:
        raise Http404
    return render(request, "core/_job_progress.html", {"job": found})


def glossary(request):
    """`/woorden/`: the school words, explained in the reader's language (docs/languages.md). Open to everyone."""
    from apps.core.glossary import TERMS

    return render(request, "core/glossary.html", {"terms": TERMS})
