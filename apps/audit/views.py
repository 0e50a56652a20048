from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.access.policy import Action
from apps.access.shortcuts import child_for
from apps.consent.models import Category

from .describe import describe
from .family import readable_categories, readable_entries, verify_for_family


@login_required
def child_log(request, child_id):
    child = child_for(request, child_id, Action.VIEW_LOG, label=_("het logboek"))
    categories = readable_categories(request.user, child)
    entries = readable_entries(request.user, child, categories)
    if request.GET.get("alleen") == "geweigerd":
        entries = entries.filter(allowed=False)
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    rows = [{"entry": e, "text": describe(e)} for e in page.object_list]
    # On request only: the check walks the child's whole chain (docs/audit-log.md, "The family's own check").
    verified = verify_for_family(child) if request.GET.get("controleer") else None
    return render(
        request,
        "audit/child_log.html",
        {
            "child": child,
            "page": page,
            "rows": rows,
            "only_refused": request.GET.get("alleen") == "geweigerd",
            "verified": verified,
            "left_out": [Category(c).label for c in Category.values if c not in categories],
        },
    )
