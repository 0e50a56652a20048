"""Thin views: each asks permissions.py who may act and services.py what happens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.audit.log import Actor
from apps.core.idempotency import submitted_once
from apps.core.jobs import job_of
from apps.core.jobs import start as start_job
from apps.core.params import int_param
from apps.organisations.models import School

from . import community as community_services
from . import permissions, services, states, tasks
from .forms import (
    ActionForm,
    AgendaItemEditForm,
    AgendaItemForm,
    CommunityForm,
    DivideForm,
    InviteForm,
    MeetingEditForm,
    MeetingForm,
    MemberForm,
    NamedInviteForm,
    NotesForm,
    OutcomeForm,
    RestartForm,
    RsvpForm,
    SessionForm,
    ThemeForm,
    UpdateForm,
    WishForm,
)
from .models import ActionItem, AgendaItem, ChecklistItem, Invitation, LearningCommunity, Meeting, Table


def _organise(request, school):
    if not permissions.can_organise(request.user, school):
        raise PermissionDenied(_("Alleen medewerkers van de school organiseren bijeenkomsten."))


def _meeting_for_staff(request, pk) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("school"), pk=pk)
    _organise(request, meeting.school)
    return meeting


def _errors(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


@login_required
def index(request):
    schools = permissions.organising_schools(request.user)
    meetings = (
        Meeting.objects.filter(school__in=schools)
        .select_related("school")
        .annotate(
            n_invited=Count("invitations"),
            n_yes=Count("invitations", filter=Q(invitations__reply=Invitation.Reply.YES)),
        )
    )
    invitations = Invitation.objects.filter(user=request.user).select_related("meeting", "meeting__school")
    return render(
        request,
        "meetings/index.html",
        {
            "meetings": meetings,
            "invitations": invitations,
            "schools": schools,
            "following": permissions.following_schools(request.user),
        },
    )


@login_required
def create(request):
    schools = permissions.organising_schools(request.user)
    if not schools.exists():
        raise PermissionDenied(_("Alleen medewerkers van een school organiseren bijeenkomsten."))
    form = MeetingForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submitted_once(request) as first:
                if not first:
                    return redirect("meetings:index")
                meeting = services.create_meeting(
                    school=data["school"],
                    by=request.user,
                    title=data["title"],
                    kind=data["kind"],
                    starts_at=data["starts_at"],
                    rsvp_deadline=data["rsvp_deadline"],
                    location=data["location"],
                    invitation_text=data["invitation_text"],
                    use_template=data["use_template"],
                )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("De bijeenkomst is aangemaakt."))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/create.html", {"form": form})


@login_required
def detail(request, pk):
    meeting = _meeting_for_staff(request, pk)
    services.log_pupil_candidates(Actor.from_request(request), meeting)
    agenda = services.ordered_agenda(meeting)
    invitations = list(meeting.invitations.select_related("user"))
    name_filter, reply_filter = request.GET.get("naam", "")[:100], request.GET.get("antwoord", "")
    tables = list(meeting.tables.select_related("theme").prefetch_related("members__user", "outcomes"))
    context = {
        "meeting": meeting,
        "checklist": meeting.checklist.all(),
        "agenda": agenda,
        "summary": services.agenda_summary(agenda),
        "themes": meeting.themes.all(),
        "team": meeting.action_team.all(),
        "team_candidates": services.school_staff(meeting).exclude(meeting_action_teams=meeting).order_by("full_name"),
        "invitations": invitations,
        "attendance": community_services.attendance_rows(
            meeting, query=name_filter, reply=reply_filter, invitations=invitations
        ),
        "name_filter": name_filter,
        "reply_filter": reply_filter,
        "replies": Invitation.Reply.choices,
        "named_form": NamedInviteForm(people=community_services.candidates(meeting.school)),
        "counts": {
            "yes": sum(i.reply == Invitation.Reply.YES for i in invitations),
            "no": sum(i.reply == Invitation.Reply.NO for i in invitations),
            "pending": sum(i.reply == Invitation.Reply.PENDING for i in invitations),
        },
        "wishes": meeting.wishes.select_related("first__user", "second__user"),
        "tables": tables,
        "actions": meeting.actions.select_related("owner"),
        "agenda_form": AgendaItemForm(),
        "theme_form": ThemeForm(),
        "invite_form": InviteForm(school=meeting.school, pupils=services.pupil_candidates(meeting, request.user)),
        "divide_form": DivideForm(),
        "wish_form": WishForm(meeting=meeting),
        "job": job_of(request.user, job_id) if (job_id := int_param(request.GET.get("taak"))) else None,
    }
    return render(request, "meetings/detail.html", context)


@login_required
@require_POST
def agenda_add(request, pk):
    meeting = _meeting_for_staff(request, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            with submitted_once(request) as first:
                if not first:
                    return redirect("meetings:detail", meeting.pk)
                services.add_agenda_item(meeting, **form.cleaned_data)
        except ValidationError as e:
            _errors(request, e)
        else:
            messages.success(request, _("Het agendapunt is toegevoegd."))
    else:
        messages.error(request, _("Vul begintijd, duur en gesprekspunt in."))
    return redirect("meetings:detail", meeting.pk)


@login_required
def edit(request, pk):
    meeting = _meeting_for_staff(request, pk)
    form = MeetingEditForm(request.POST or None, instance=meeting, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        current = Meeting.objects.get(pk=meeting.pk)  # the form wrote its values onto `meeting`
        try:
            services.update_meeting(current, version=version, **data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("De bijeenkomst is gewijzigd."))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/edit.html", {"form": form, "meeting": meeting})


@login_required
def agenda_edit(request, pk, item_id):
    meeting = _meeting_for_staff(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    form = AgendaItemEditForm(request.POST or None, instance=item, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        current = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
        try:
            services.update_agenda_item(current, version=version, **data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Het agendapunt is gewijzigd."))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/agenda_edit.html", {"form": form, "meeting": meeting, "item": item})


@login_required
@require_POST
def agenda_delete(request, pk, item_id):
    meeting = _meeting_for_staff(request, pk)
    get_object_or_404(AgendaItem, pk=item_id, meeting=meeting).delete()
    messages.success(request, _("Het agendapunt is verwijderd."))
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def checklist_add(request, pk):
    meeting = _meeting_for_staff(request, pk)
    try:
        with submitted_once(request) as first:
            if not first:
                return redirect("meetings:detail", meeting.pk)
            services.add_checklist_item(meeting, request.POST.get("text", ""))
    except ValidationError as e:
        _errors(request, e)
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def checklist_toggle(request, pk, item_id):
    meeting = _meeting_for_staff(request, pk)
    services.toggle_checklist(get_object_or_404(ChecklistItem, pk=item_id, meeting=meeting))
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def team_add(request, pk):
    meeting = _meeting_for_staff(request, pk)
    try:
        services.add_to_action_team(meeting, request.POST.get("user"))
    except ValidationError as e:
        _errors(request, e)
    else:
        messages.success(request, _("Het actieteam is bijgewerkt."))
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def theme_add(request, pk):
    meeting = _meeting_for_staff(request, pk)
    form = ThemeForm(request.POST)
    if form.is_valid():
        with submitted_once(request) as first:
            if not first:
                return redirect("meetings:detail", meeting.pk)
            services.add_theme(meeting, **form.cleaned_data)
        messages.success(request, _("Het thema is toegevoegd."))
    else:
        messages.error(request, _("Geef het thema een naam."))
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def invite(request, pk):
    meeting = _meeting_for_staff(request, pk)
    form = InviteForm(request.POST, school=meeting.school, pupils=services.pupil_candidates(meeting, request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("meetings:detail", meeting.pk)
    audience = form.cleaned_data["audience"]
    if audience == "class":
        users, kind = services.guardians_for(meeting, group=form.cleaned_data["group"]), Invitation.Kind.GUARDIAN
    elif audience == "year":
        users = services.guardians_for(meeting, year_level=form.cleaned_data["year_level"])
        kind = Invitation.Kind.GUARDIAN
    elif audience == "all":
        users, kind = services.guardians_for(meeting), Invitation.Kind.GUARDIAN
    elif audience == "staff":
        users, kind = services.school_staff(meeting), Invitation.Kind.STAFF
    elif audience == "partners":
        users, kind = services.school_partners(meeting), Invitation.Kind.PARTNER
    else:
        try:
            count = services.invite_pupil_council(meeting, form.cleaned_data["pupils"], request.user)
        except ValidationError as e:
            _errors(request, e)
            return redirect("meetings:detail", meeting.pk)
        messages.success(request, _("%(n)d nieuwe uitnodiging(en) verstuurd.") % {"n": count})
        return redirect("meetings:detail", meeting.pk)
    user_ids = list(users.values_list("pk", flat=True))
    if len(user_ids) > services.INVITE_IN_REQUEST_UP_TO:
        job = start_job(request.user, _("Uitnodigingen voor %(title)s") % {"title": meeting.title}, len(user_ids))
        tasks.invite_in_background.enqueue(job.pk, meeting.pk, user_ids, kind)
        return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}?taak={job.pk}")
    count = services.invite(meeting, users, kind=kind)
    messages.success(request, _("%(n)d nieuwe uitnodiging(en) verstuurd.") % {"n": count})
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def send_summary(request, pk):
    meeting = _meeting_for_staff(request, pk)
    try:
        sent = services.send_summary(meeting)
    except ValidationError as e:
        _errors(request, e)
    else:
        messages.success(request, _("De samenvatting is naar %(n)d deelnemer(s) verstuurd.") % {"n": sent})
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def reminders(request, pk):
    meeting = _meeting_for_staff(request, pk)
    sent = services.send_reminders(meeting)
    messages.success(request, _("%(n)d herinnering(en) verstuurd.") % {"n": sent})
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def attendance(request, pk):
    meeting = _meeting_for_staff(request, pk)
    shown = request.POST.getlist("shown") or None  # a filtered list changes only the rows it showed
    services.set_attendance(meeting, request.POST.getlist("present"), among=shown)
    services.set_leaders(meeting, request.POST.getlist("leader"), among=shown)
    messages.success(request, _("Aanwezigheid en gespreksleiders zijn opgeslagen."))
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def wish_add(request, pk):
    meeting = _meeting_for_staff(request, pk)
    form = WishForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.add_wish(
                meeting, form.cleaned_data["first"], form.cleaned_data["second"], form.cleaned_data["kind"]
            )
        except ValidationError as e:
            _errors(request, e)
        else:
            messages.success(request, _("De wens is opgeslagen."))
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def divide(request, pk):
    meeting = _meeting_for_staff(request, pk)
    form = DivideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een aantal tafels van 1 tot 200."))
        return redirect("meetings:detail", meeting.pk)
    try:
        services.divide_into_tables(meeting, form.cleaned_data["n_groups"])
    except ValidationError as e:
        _errors(request, e)
    else:
        messages.success(request, _("De deelnemers zijn verdeeld over de tafels."))
    return redirect("meetings:detail", meeting.pk)


@login_required
def rsvp(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("school"), pk=pk)
    invitation = get_object_or_404(
        Invitation.objects.select_related("user", "meeting"), meeting=meeting, user=request.user
    )
    form = RsvpForm(request.POST or None, initial={"reply": invitation.reply})
    if request.method == "POST" and form.is_valid():
        try:
            services.respond(invitation, form.cleaned_data["reply"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Dank u wel, uw antwoord is opgeslagen."))
            return redirect("meetings:rsvp", meeting.pk)
    return render(
        request,
        "meetings/rsvp.html",
        {"meeting": meeting, "invitation": invitation, "text": services.personal_text(invitation), "form": form},
    )


@login_required
def table(request, pk):
    table = get_object_or_404(Table.objects.select_related("meeting__school", "theme"), pk=pk)
    meeting = table.meeting
    _organise(request, meeting.school)
    notes_form = NotesForm(initial={"notes": table.notes, "version": table.version})
    outcome_form = OutcomeForm()
    if request.method == "POST" and "notes" in request.POST:
        notes_form = NotesForm(request.POST)
        if notes_form.is_valid():
            try:
                services.save_notes(table, notes_form.cleaned_data["notes"], notes_form.cleaned_data["version"])
            except ValidationError as e:
                notes_form.add_error(None, e)
            else:
                messages.success(request, _("De aantekeningen zijn opgeslagen."))
                return redirect("meetings:table", table.pk)
    elif request.method == "POST":
        outcome_form = OutcomeForm(request.POST)
        if outcome_form.is_valid():
            with submitted_once(request) as first:
                if not first:
                    return redirect("meetings:table", table.pk)
                services.add_outcome(table, outcome_form.cleaned_data["text"])
            messages.success(request, _("De opbrengst is toegevoegd."))
            return redirect("meetings:table", table.pk)
    return render(
        request,
        "meetings/table.html",
        {
            "table": table,
            "meeting": meeting,
            "members": table.members.select_related("user"),
            "outcomes": table.outcomes.prefetch_related("actions"),
            "notes_form": notes_form,
            "outcome_form": outcome_form,
        },
    )


@login_required
def action_create(request, pk):
    """A new action for a meeting, optionally from one outcome (?opbrengst=<id>)."""
    meeting = _meeting_for_staff(request, pk)
    outcome = None
    outcome_id = int_param(request.GET.get("opbrengst") or request.POST.get("outcome"))
    if outcome_id is not None:
        outcome = get_object_or_404(
            services.Outcome.objects.select_related("table__theme"), pk=outcome_id, table__meeting=meeting
        )
    form = ActionForm(
        request.POST or None,
        owners=services.school_staff(meeting).order_by("full_name"),
        themes=meeting.themes.all(),
        initial={
            "title": outcome.text[:300] if outcome else "",
            "owner": request.user,
            "theme": outcome.table.theme if outcome else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submitted_once(request) as first:
                if not first:
                    return redirect("meetings:detail", meeting.pk)
                action = services.create_meeting_action(
                    meeting,
                    by=request.user,
                    title=data["title"],
                    owner=data["owner"],
                    principle_names=services.principle_names(data["principles"]),
                    outcome=outcome,
                    theme=data["theme"],
                    key=data.get("key", ""),
                )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("De actie is aangemaakt."))
            return redirect("meetings:action", action.pk)
    return render(request, "meetings/action_form.html", {"meeting": meeting, "outcome": outcome, "form": form})


@login_required
def action(request, pk):
    action = get_object_or_404(
        ActionItem.objects.select_related("school", "owner", "theme", "meeting", "outcome"), pk=pk
    )
    _organise(request, action.school)
    form = UpdateForm(request.POST or None, initial={"status": action.status, "version": action.version})
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(request) as first:
                if not first:
                    return redirect("meetings:action", action.pk)
                services.add_update(
                    action,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    status=form.cleaned_data["status"],
                    version=form.cleaned_data["version"],
                )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("De voortgang is opgeslagen."))
            return redirect("meetings:action", action.pk)
    state = states.action_state(action)
    may_restart = state.restartable and permissions.can_restart(request.user, action.school)
    return render(
        request,
        "meetings/action.html",
        {
            "action": action,
            "updates": action.updates.select_related("author", "previous_owner"),
            "principles": action.principles.all(),
            "stalled": state.code == states.STALLED,
            "state": state,
            "form": form,
            "restart_form": RestartForm(owners=_school_staff(action.school), initial={"version": action.version})
            if may_restart
            else None,
        },
    )


def _school_staff(school):
    return services.school_staff(Meeting(school=school)).order_by("full_name", "pk")


@login_required
@require_POST
def action_restart(request, pk):
    """The director restarts a stalled or stopped action with a new owner; the history stays."""
    action = get_object_or_404(ActionItem.objects.select_related("school", "owner"), pk=pk)
    _organise(request, action.school)
    if not permissions.can_restart(request.user, action.school):
        raise PermissionDenied(_("Alleen de directeur start een actie opnieuw."))
    form = RestartForm(request.POST, owners=_school_staff(action.school))
    if not form.is_valid():
        messages.error(request, _("Kies de nieuwe eigenaar."))
        return redirect("meetings:action", action.pk)
    try:
        services.restart_action(
            action,
            by=request.user,
            new_owner=form.cleaned_data["new_owner"],
            text=form.cleaned_data["text"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as e:
        _errors(request, e)
    else:
        messages.success(request, _("De actie is opnieuw gestart met een nieuwe eigenaar."))
    return redirect("meetings:action", action.pk)


@login_required
def actions(request, school_id):
    school = get_object_or_404(School, pk=school_id)
    _organise(request, school)
    items = list(ActionItem.objects.filter(school=school).select_related("owner").prefetch_related("principles"))
    now = timezone.now()
    for item in items:
        item.state = states.action_state(item, now)
        item.stalled = item.state.code == states.STALLED
    return render(request, "meetings/actions.html", {"school": school, "items": items})


@login_required
@require_POST
def import_actions(request, school_id):
    school = get_object_or_404(School, pk=school_id)
    _organise(request, school)
    created = services.import_seed_actions(school, request.user)
    messages.success(request, _("%(n)d actie(s) uit de leergemeenschap geïmporteerd.") % {"n": created})
    return redirect("meetings:actions", school.pk)


def _feedback_context(request, school_id):
    school = get_object_or_404(School, pk=school_id)
    if not permissions.can_follow(request.user, school):
        raise PermissionDenied(_("Deze pagina is voor ouders en medewerkers van deze school."))
    return {"school": school, **services.feedback(school)}


@login_required
def feedback(request, school_id):
    context = _feedback_context(request, school_id)
    template = "meetings/feedback_print.html" if request.GET.get("afdrukken") else "meetings/feedback.html"
    return render(request, template, context)


@login_required
def feedback_pdf(request, school_id):
    from weasyprint import HTML

    context = _feedback_context(request, school_id)
    html = render_to_string("meetings/feedback_print.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="jullie-zeiden-wij-deden.pdf"'
    return response


# --- invitations of named people and of a community's members -----------------------------------------------


@login_required
@require_POST
def invite_named(request, pk):
    meeting = _meeting_for_staff(request, pk)
    form = NamedInviteForm(request.POST, people=community_services.candidates(meeting.school))
    if not form.is_valid():
        messages.error(request, _("Kies minstens één persoon uit de lijst."))
        return redirect("meetings:detail", meeting.pk)
    try:
        count = community_services.invite_named(meeting, form.cleaned_data["people"])
    except ValidationError as e:
        _errors(request, e)
    else:
        messages.success(request, _("%(n)d nieuwe uitnodiging(en) verstuurd.") % {"n": count})
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def invite_members(request, pk):
    meeting = _meeting_for_staff(request, pk)
    try:
        count = community_services.invite_members(meeting)
    except ValidationError as e:
        _errors(request, e)
    else:
        messages.success(request, _("%(n)d nieuwe uitnodiging(en) verstuurd.") % {"n": count})
    return redirect("meetings:detail", meeting.pk)


# --- learning communities ---------------------------------------------------------------------------------


@login_required
def communities(request, school_id):
    school = get_object_or_404(School, pk=school_id)
    _organise(request, school)
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(request) as first:
                if not first:
                    return redirect("meetings:communities", school.pk)
                created = community_services.create_community(school=school, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("De leergemeenschap is aangemaakt."))
            return redirect("meetings:community", created.pk)
    items = LearningCommunity.objects.filter(school=school).annotate(
        n_members=Count("members", distinct=True), n_sessions=Count("sessions", distinct=True)
    )
    return render(request, "meetings/communities.html", {"school": school, "items": items, "form": form})


def _community(request, community_id, *, organise=False) -> LearningCommunity:
    item = get_object_or_404(LearningCommunity.objects.select_related("school"), pk=community_id)
    if organise:
        _organise(request, item.school)
    elif not permissions.can_view_community(request.user, item):
        raise PermissionDenied(_("Deze pagina is voor de leden van de leergemeenschap en de school."))
    return item


@login_required
def community(request, community_id):
    item = _community(request, community_id)
    organiser = permissions.can_organise(request.user, item.school)
    context = {
        "community": item,
        "members": item.members.select_related("user"),
        "sessions": item.sessions.order_by("session_number", "pk"),
        "organiser": organiser,
    }
    if organiser:
        context["member_form"] = MemberForm(people=community_services.candidates(item.school))
        context["session_form"] = SessionForm()
    return render(request, "meetings/community.html", context)


@login_required
@require_POST
def member_add(request, community_id):
    item = _community(request, community_id, organise=True)
    form = MemberForm(request.POST, people=community_services.candidates(item.school))
    if form.is_valid():
        try:
            community_services.add_member(item, form.cleaned_data["person"], form.cleaned_data["role"])
        except ValidationError as e:
            _errors(request, e)
        else:
            messages.success(request, _("Het lid is toegevoegd."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("meetings:community", item.pk)


@login_required
@require_POST
def session_add(request, community_id):
    item = _community(request, community_id, organise=True)
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul de datum, de begintijd en de aanmelddatum in."))
        return redirect("meetings:community", item.pk)
    try:
        with submitted_once(request) as first:
            if not first:
                return redirect("meetings:community", item.pk)
            meeting = community_services.add_session(item, by=request.user, **form.cleaned_data)
    except ValidationError as e:
        _errors(request, e)
        return redirect("meetings:community", item.pk)
    messages.success(request, _("De bijeenkomst is toegevoegd."))
    return redirect("meetings:detail", meeting.pk)
