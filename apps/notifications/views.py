from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .models import Notification
from .services import mark_all_read


@login_required
def inbox(request):
    page = Paginator(Notification.objects.filter(user=request.user), 25).get_page(request.GET.get("pagina"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
@login_required
def read_all(request):
    mark_all_read(request.user)
    return redirect("notifications:inbox")
