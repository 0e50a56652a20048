from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.views import ListUserSessionsView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.circles.authority import to_declare

from . import enrolment, services, throttle
from .forms import AcceptInviteForm, EndSessionsForm
from .limits import reauthentication_required
from .security_events import log_event


def accept_invite(request, token):
    try:
        inv = services.check_invite(token)
    except ValidationError as e:
        return render(request, "accounts/invite_invalid.html", {"error": e.messages[0]}, status=410)
    services.mark_opened(inv)
    form = AcceptInviteForm(
        request.POST or None, email=inv.email, initial={"full_name": inv.user.full_name if inv.user_id else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invite(
                token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as e:
            return render(request, "accounts/invite_invalid.html", {"error": e.messages[0]}, status=410)
        from . import languages

        languages.set_language(user, form.cleaned_data.get("language") or translation.get_language())
        translation.activate(user.language)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welkom bij Driehoek! Uw account is klaar."))
        if inv.kind == inv.Kind.STAFF:
            # Accepting the invite proved the mailbox, so this session may set up two-factor (SEC-06).
            enrolment.grant_enrolment(request)
        if to_declare(user).exists():
            return redirect("circles:declare_authority")
        return redirect("core:home")
    return render(request, "accounts/accept_invite.html", {"form": form, "invite": inv})


def redeem_code(request):
    """For guardians with a printed letter: type the short code, get the invite's account page."""
    error = ""
    if request.method == "POST":
        try:
            token = services.redeem_short_code(request.POST.get("code", "")[:20], ip=throttle.client_ip(request))
        except ValidationError as e:
            error = e.messages[0]
        else:
            return redirect("accounts:accept_invite", token)
    return render(request, "accounts/redeem_code.html", {"error": error}, status=400 if error else 200)


@login_required
def api_key(request):
    """A personal API key for the REST API; it is behind log-in (and two-factor for professionals)."""
    from rest_framework.authtoken.models import Token

    new_key = None
    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()
        if request.POST.get("action") == "create":
            new_key = Token.objects.create(user=request.user).key
            messages.success(request, _("Uw nieuwe API-sleutel staat hieronder. U ziet hem maar één keer."))
        else:
            messages.success(request, _("Uw API-sleutel is ingetrokken."))
    has_key = Token.objects.filter(user=request.user).exists()
    return render(request, "accounts/api_key.html", {"new_key": new_key, "has_key": has_key})


@method_decorator(reauthentication_required(allow_get=True), name="dispatch")
class SessionsView(ListUserSessionsView):
    """allauth's session list (SEC-09) with our form: end one session, or all others, after re-authentication
    (SEC-10, apps/accounts/limits.py)."""

    form_class = EndSessionsForm

    def form_valid(self, form):
        ended = form.save(self.request)
        if self.request.user.is_authenticated:
            messages.success(
                self.request,
                ngettext("%(n)d sessie is beëindigd.", "%(n)d sessies zijn beëindigd.", ended) % {"n": ended},
            )
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        log_event(
            "session_end_refused",
            "tried to end a session that is not theirs",
            request=self.request,
            user_id=self.request.user.pk,
        )
        return super().form_invalid(form)


sessions = SessionsView.as_view()


@login_required
def enrol_two_factor(request):
    """Ask for a one-time link by e-mail; only that link opens the TOTP set-up (apps/accounts/enrolment.py)."""
    if request.method == "POST":
        if enrolment.send_enrolment_link(user=request.user, request=request):
            messages.success(request, _("We hebben u een e-mail gestuurd met een link. Open die op dit apparaat."))
        else:
            messages.info(request, _("We hebben u net al een link gestuurd. Kijk ook bij ongewenste e-mail."))
        return redirect("enrol_two_factor")
    return render(request, "accounts/enrol_two_factor.html", {"has_totp": is_mfa_enabled(request.user)})


@login_required
def enrol_two_factor_link(request, token):
    """The link from the e-mail: a GET shows a button, the POST uses the link up and opens the set-up."""
    try:
        if request.method == "POST":
            enrolment.redeem_enrolment_link(request, token)
            return redirect("mfa_activate_totp")
        enrolment.check_enrolment_link(token, user=request.user)
    except ValidationError as e:
        return render(request, "accounts/enrol_link_invalid.html", {"error": e.messages[0]}, status=410)
    return render(request, "accounts/enrol_two_factor_link.html")


def set_language(request):
    """Django's language switch, and for a logged-in person also their account's language (docs/languages.md)."""
    from django.views.i18n import set_language as django_set_language

    from . import languages

    chosen = request.POST.get("language") if request.method == "POST" else ""
    if chosen and request.user.is_authenticated and languages.set_language(request.user, chosen):
        messages.info(request, _("Die taal bieden wij (nog) niet aan. U leest Driehoek in het Nederlands."))
    return django_set_language(request)


@login_required
def choose_language(request):
    """The language choice of the first log-in, and later the person's language and interpreter need.

    Each language is shown in its own name, so a parent finds theirs whatever language the page is in."""
    from django.utils.http import url_has_allowed_host_and_scheme

    from . import languages

    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    user = request.user
    if request.method == "POST":
        code = request.POST.get("language") or user.language or languages.DEFAULT
        fell_back = languages.set_language(user, code)
        wanted = request.POST.get("interpreter") == "ja"
        if user.interpreter_wanted != wanted:
            user.interpreter_wanted = wanted
            user.save(update_fields=["interpreter_wanted"])
        translation.activate(user.language)
        if fell_back:
            messages.info(request, _("Die taal bieden wij (nog) niet aan. U leest Driehoek in het Nederlands."))
        else:
            messages.success(request, _("Uw taal is bewaard."))
        response = redirect(next_url or "core:home")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
        return response
    current = user.language or translation.get_language()
    options = [
        {"code": code, "name": name, "rtl": languages.is_rtl(code), "current": code == current}
        for code, name in languages.choices()
    ]
    return render(
        request, "accounts/choose_language.html", {"options": options, "next": next_url, "first": not user.language}
    )
