"""Thin views: load through the access policy, call services, render."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.policy import Action, authorize, decide, is_professional, log_list, visible_children
from apps.access.shortcuts import child_for
from apps.accounts.limits import has_search_query, rate_limited
from apps.audit.log import Actor
from apps.consent.models import Category
from apps.core.idempotency import submitted_once
from apps.organisations.models import Group, School
from apps.translation.languages import SOURCE_LANGUAGE, reader_language
from apps.translation.rendering import translation_response
from apps.translation.services import translate_many

from . import permissions, rules, services
from .forms import AnnouncementForm, AnnouncementVersionForm, MessageForm, SettingForm, ThreadForm
from .models import (
    Announcement,
    AnnouncementConfirmation,
    Attachment,
    Message,
    NotificationSetting,
    ReadReceipt,
    Thread,
)

PAGE_SIZE = 25
MESSAGES_PER_PAGE = 50


@login_required
@rate_limited("search", when=has_search_query)
def inbox(request):
    threads = (
        services.with_unread(services.visible_threads(request.user), request.user)
        .select_related("child", "child__group")
        .prefetch_related("child__guardianships")  # the policy reads them when logging the list
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        threads = threads.filter(
            Q(subject__icontains=query) | Q(child__first_name__icontains=query) | Q(child__last_name__icontains=query)
        )
    threads = threads.order_by("-last_message_at", "-pk")
    page = Paginator(threads, PAGE_SIZE).get_page(request.GET.get("pagina"))
    services.log_shown(Actor.from_request(request), page.object_list, label=_("het berichtenoverzicht"))
    _add_cached_subjects(request, page.object_list)
    return render(request, "messaging/inbox.html", {"page": page, "query": query})


def _add_cached_subjects(request, threads) -> None:
    """For a reader in another language: the subjects already translated (the cache only; the inbox never
    waits on the translation server, docs/translation.md)."""
    language, _note = reader_language(request)
    threads = list(threads)
    found = translate_many([t.subject for t in threads], language, cached_only=True) if threads else []
    for thread, translated in zip(threads, found or [None] * len(threads), strict=True):
        thread.translated_subject = translated


def _categories_for(user, child, action=Action.CREATE) -> list[str]:
    return [c.value for c in Category if decide(user, action, child, c.value)]


@login_required
def child_threads(request, child_id):
    child = child_for(request, child_id, Action.VIEW, Category.BASIC, label=_("de berichten"))
    readable = _categories_for(request.user, child, Action.VIEW)
    threads = services.with_unread(
        services.visible_threads(request.user).filter(child=child, category__in=readable), request.user
    )
    page = Paginator(threads.order_by("-last_message_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    balance = None
    if is_professional(request.user):
        balance = rules.balances_for([child.pk])[child.pk]
    creatable = _categories_for(request.user, child)
    form = ThreadForm(categories=creatable) if creatable else None
    return render(
        request,
        "messaging/child_threads.html",
        {"child": child, "page": page, "balance": balance, "form": form, "weeks": rules.BALANCE_WEEKS},
    )


@login_required
def new_thread(request, child_id):
    child = child_for(request, child_id, Action.VIEW, Category.BASIC, label=_("de berichten"))
    creatable = _categories_for(request.user, child)
    form = ThreadForm(request.POST or None, request.FILES or None, categories=creatable)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with submitted_once(request) as first:
                if not first:
                    return redirect("messaging:child", child.pk)
                thread = services.create_thread(
                    Actor.from_request(request),
                    child,
                    d["category"],
                    d["subject"],
                    d["body"],
                    d["tag"] or "",
                    [d["attachment"]] if d["attachment"] else [],
                )
        except services.RateLimited as e:
            form.add_error(None, e)
            status = 429
        except ValidationError as e:
            form.add_error("attachment" if d.get("attachment") and "bijlage" in str(e).lower() else None, e)
        else:
            flash.success(request, _("Het gesprek is gestart."))
            return redirect("messaging:thread", thread.pk)
    return render(request, "messaging/new_thread.html", {"child": child, "form": form}, status=status)


@login_required
def thread_detail(request, thread_id):
    thread = get_object_or_404(
        Thread.objects.select_related("child", "child__school", "child__group").prefetch_related(
            "child__guardianships"
        ),
        pk=thread_id,
    )
    actor = Actor.from_request(request)
    status = 200
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                authorize(actor, Action.CREATE, thread.child, thread.category, obj=thread, label=_("de berichten"))
                with submitted_once(request) as first:
                    if not first:
                        return redirect("messaging:thread", thread.pk)
                    services.post_message(
                        actor,
                        thread,
                        d["body"],
                        d["tag"] or "",
                        [d["attachment"]] if d["attachment"] else [],
                        _authorized=True,
                    )
            except services.RateLimited as e:
                form.add_error(None, e)
                status = 429
            except ValidationError as e:
                form.add_error(None, e)
            else:
                flash.success(request, _("Uw bericht is verstuurd."))
                return redirect("messaging:thread", thread.pk)
        else:
            services.open_thread(actor, thread)
    else:
        services.open_thread(actor, thread)
    child = thread.child
    msgs = (
        services.visible_messages(request.user, thread)
        .select_related("author")
        .prefetch_related("attachments", Prefetch("receipts", queryset=ReadReceipt.objects.select_related("user")))
    )
    paginator = Paginator(msgs, MESSAGES_PER_PAGE)
    page = paginator.get_page(request.GET.get("pagina") or paginator.num_pages)
    items = list(page.object_list)
    services.mark_read(request.user, items)
    rows = [{"m": m, "readers": [r.user for r in m.receipts.all() if r.user_id != m.author_id]} for m in items]
    return render(
        request,
        "messaging/thread.html",
        {
            "thread": thread,
            "child": child,
            "page": page,
            "rows": rows,
            "form": form,
            "can_post": decide(request.user, Action.CREATE, child, thread.category, owner=thread.owner).allowed,
        },
        status=status,
    )


@login_required
def attachment_download(request, attachment_id):
    attachment = get_object_or_404(Attachment.objects.select_related("message__thread__child"), pk=attachment_id)
    thread = attachment.message.thread
    authorize(
        Actor.from_request(request),
        Action.VIEW,
        thread.child,
        thread.category,
        obj=attachment,
        label=_("een bijlage bij de berichten"),
    )
    if not attachment.downloadable:  # still in quarantine, or deleted because of a virus (SEC-25)
        infected = attachment.scan_state == Attachment.ScanState.INFECTED
        return render(
            request,
            "messaging/attachment_unavailable.html",
            {"attachment": attachment, "thread": thread, "infected": infected},
            status=410 if infected else 409,
        )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    # Always a download, never rendered in our origin (SEC-24); FileResponse encodes the name (filename*=UTF-8).
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
def notification_settings(request):
    setting, _created = NotificationSetting.objects.get_or_create(user=request.user)
    form = SettingForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        form.save()
        flash.success(request, _("Uw instelling is bewaard."))
        return redirect("messaging:settings")
    return render(request, "messaging/settings.html", {"form": form})


@login_required
def balance(request):
    """Contact balance per class and per child, for the professionals who work with these pupils."""
    if not is_professional(request.user):
        raise Http404
    children = visible_children(request.user, Category.BASIC).select_related("group")
    group_ids = list(children.values_list("group_id", flat=True).distinct())
    groups = list(Group.objects.filter(pk__in=group_ids).order_by("year_level", "name"))
    selected = request.GET.get("groep", "")
    selected_group = next((g for g in groups if str(g.pk) == selected), groups[0] if groups else None)
    per_child = []
    if selected_group:
        kids = list(
            children.filter(group=selected_group).prefetch_related("guardianships").order_by("last_name", "first_name")
        )
        log_list(Actor.from_request(request), kids, label=_("de contactbalans"))
        balances = rules.balances_for([k.pk for k in kids])
        # Families that only heard concerns first: they are the ones the prompt is about.
        per_child = sorted(({"child": k, "b": balances[k.pk]} for k in kids), key=lambda r: not r["b"].only_concerns)
    class_total = rules.sum_balances(r["b"] for r in per_child)
    return render(
        request,
        "messaging/balance.html",
        {
            "groups": groups,
            "group": selected_group,
            "rows": per_child,
            "total": class_total,
            "only_concern_count": sum(1 for r in per_child if r["b"].only_concerns),
            "weeks": rules.BALANCE_WEEKS,
        },
    )


# --- announcements -------------------------------------------------------------------------------------------------


@login_required
def announcements(request):
    user = request.user
    qs = Announcement.objects.filter(permissions.visible_announcements_filter(user)).select_related(
        "school", "group", "author"
    )
    confirmed = AnnouncementConfirmation.objects.filter(announcement=OuterRef("pk"), user=user)
    qs = qs.annotate(confirmed=Exists(confirmed))
    posts = Paginator(qs.filter(is_newsletter=False), 10).get_page(request.GET.get("pagina"))
    newsletter = list(qs.filter(is_newsletter=True)[:10])
    can_post = bool(permissions.announcement_scopes(user)) or bool(permissions.newsletter_schools(user))
    return render(
        request, "messaging/announcements.html", {"page": posts, "newsletter": newsletter, "can_post": can_post}
    )


def _targets(user):
    scopes = permissions.announcement_scopes(user)
    schools = {s.pk: s for s in School.objects.filter(pk__in=set(scopes) | permissions.newsletter_schools(user))}
    targets = []
    for school_id, groups in scopes.items():
        school = schools[school_id]
        if groups is None:
            targets.append((f"school:{school.pk}", _("Hele school: %(s)s") % {"s": school}))
            groups = [g.pk for g in school.groups.all()]
        for g in Group.objects.filter(pk__in=groups).order_by("year_level", "name"):
            targets.append((f"group:{g.pk}", f"{g.name} ({school})"))
    for school_id in permissions.newsletter_schools(user):
        if school_id not in scopes:
            targets.append((f"school:{school_id}", _("Nieuwsbrief: %(s)s") % {"s": schools[school_id]}))
    return targets


@login_required
def new_announcement(request):
    user = request.user
    targets = _targets(user)
    if not targets:
        raise Http404
    allow_announcement = bool(permissions.announcement_scopes(user))
    form = AnnouncementForm(
        request.POST or None,
        targets=targets,
        allow_newsletter=bool(permissions.newsletter_schools(user)),
        allow_announcement=allow_announcement,
    )
    if request.method == "POST" and form.is_valid():
        kind, _sep, pk = form.cleaned_data["target"].partition(":")
        group = Group.objects.filter(pk=pk).select_related("school").first() if kind == "group" else None
        school = group.school if group else get_object_or_404(School, pk=pk)
        newsletter = form.cleaned_data.get("is_newsletter", False) or not allow_announcement
        try:
            with submitted_once(request) as first:
                if not first:
                    return redirect("messaging:announcements")
                services.publish_announcement(
                    user,
                    school=school,
                    group=group,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    newsletter=newsletter,
                    requires_confirmation=form.cleaned_data["requires_confirmation"],
                )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            flash.success(request, _("De mededeling is geplaatst. De ouders krijgen een bericht."))
            return redirect("messaging:announcements")
    return render(request, "messaging/new_announcement.html", {"form": form})


@login_required
def announcement_detail(request, pk):
    announcement = get_object_or_404(
        Announcement.objects.filter(permissions.visible_announcements_filter(request.user)).select_related(
            "school", "group", "author"
        ),
        pk=pk,
    )
    confirmed = AnnouncementConfirmation.objects.filter(announcement=announcement, user=request.user).exists()
    count = announcement.confirmations.count() if announcement.author_id == request.user.pk else None
    language, _note = reader_language(request)
    version = announcement.versions.filter(language=language).first() if language != SOURCE_LANGUAGE else None
    return render(
        request,
        "messaging/announcement.html",
        {
            "a": announcement,
            "confirmed": confirmed,
            "confirmation_count": count,
            "version": version,
            "can_write_versions": permissions.may_write_versions(request.user, announcement),
        },
    )


@login_required
@require_POST
def confirm_announcement(request, pk):
    announcement = get_object_or_404(
        Announcement.objects.filter(permissions.visible_announcements_filter(request.user)), pk=pk
    )
    services.confirm_read(request.user, announcement)
    flash.success(request, _("Bedankt, u heeft bevestigd dat u dit gelezen heeft."))
    return redirect("messaging:announcement", pk)


# --- translated content (docs/translation.md) -----------------------------------------------------------------------


@login_required
def translate_thread(request, thread_id):
    """The subject of a thread in the reader's language: read through the policy like the thread itself."""
    thread = get_object_or_404(
        Thread.objects.select_related("child").prefetch_related("child__guardianships"), pk=thread_id
    )
    authorize(
        Actor.from_request(request), Action.VIEW, thread.child, thread.category, obj=thread, label=_("de berichten")
    )
    return translation_response(
        request, [thread.subject], title=thread.subject, back=reverse("messaging:thread", args=[thread.pk])
    )


@login_required
def translate_message(request, message_id):
    """One message in the reader's language. The policy decides exactly as for reading the thread (child,
    category and the message's owner); a refusal is logged and answered 403."""
    message = get_object_or_404(
        Message.objects.select_related("thread__child").prefetch_related("thread__child__guardianships"), pk=message_id
    )
    thread = message.thread
    authorize(
        Actor.from_request(request),
        Action.VIEW,
        thread.child,
        thread.category,
        obj=message,
        label=_("een vertaling van een bericht"),
    )
    return translation_response(
        request, [message.body], title=thread.subject, back=reverse("messaging:thread", args=[thread.pk])
    )


def _visible_announcement(request, pk):
    return get_object_or_404(
        Announcement.objects.filter(permissions.visible_announcements_filter(request.user)).prefetch_related(
            "versions"
        ),
        pk=pk,
    )


@login_required
def translate_announcement(request, pk):
    """An announcement in the reader's language: the school's own version first, else a machine translation."""
    announcement = _visible_announcement(request, pk)
    return translation_response(
        request,
        [announcement.title, announcement.body],
        versions=services.announcement_versions(announcement),
        title=announcement.title,
        back=reverse("messaging:announcement", args=[announcement.pk]),
    )


@login_required
def announcement_versions(request, pk):
    """Write the announcement in another language by hand (its author, or who may post it there)."""
    announcement = _visible_announcement(request, pk)
    if not permissions.may_write_versions(request.user, announcement):
        raise Http404
    language = request.POST.get("language") or request.GET.get("taal") or ""
    existing = announcement.versions.filter(language=language).first() if language else None
    form = AnnouncementVersionForm(request.POST or None, instance=existing, initial={"language": language})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.save_announcement_version(request.user, announcement, d["language"], d["title"], d["body"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            flash.success(request, _("De mededeling in deze taal is bewaard."))
            return redirect("messaging:announcement_versions", announcement.pk)
    return render(
        request,
        "messaging/announcement_versions.html",
        {"a": announcement, "form": form, "versions": announcement.versions.all()},
    )
