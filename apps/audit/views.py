from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.access.policy import Action
from apps.access.shortcuts import child_for
from apps.consent.models import Category

from .describe import describe_lines
from .family import readable_categories, readable_entries, verify_for_family

# Query parameters of the family's log page (they work without JavaScript, as plain links).
ONLY, REFUSED = "alleen", "geweigerd"
OWN, SHOW = "eigen", "tonen"
PER_PAGE = 100  # entries per page; repeats on a page are folded into one line


def show_own_reads(request) -> bool:
    """The family's own views are hidden unless `?eigen=tonen` (docs/audit-log.md)."""
    return request.GET.get(OWN) == SHOW


@login_required
def child_log(request, child_id):
    child = child_for(request, child_id, Action.VIEW_LOG, label=_("het logboek"))
    categories = readable_categories(request.user, child)
    own_reads = show_own_reads(request)
    only_refused = request.GET.get(ONLY) == REFUSED
    entries = readable_entries(request.user, child, categories, own_reads=own_reads)
    if only_refused:
        entries = entries.filter(allowed=False)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("pagina"))
    # On request only: the check walks the child's whole chain (docs/audit-log.md, "The family's own check").
    verified = verify_for_family(child) if request.GET.get("controleer") else None
    return render(
        request,
        "audit/child_log.html",
        {
            "child": child,
            "page": page,
            "lines": describe_lines(page.object_list, child=child),
            "only_refused": only_refused,
            "own_reads": own_reads,
            "verified": verified,
            "left_out": [Category(c).label for c in Category.values if c not in categories],
        },
    )
