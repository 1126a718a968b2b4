from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from civility.accounts import actions, two_factor
from civility.accounts.forms import ApiTokenForm, CodeForm, LanguageForm
from civility.accounts.models import ApiToken, Profile
from civility.core.http import AuthenticatedRequest
from civility.feedback import throttle
from civility.orgs.models import RoleAssignment
from civility.orgs.scopes import Role, scope_of

_P = ParamSpec("_P")
_R = TypeVar("_R")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            failure_limit=settings.AXES_FAILURE_LIMIT,
            password_reset_by_email=settings.PASSWORD_RESET_BY_EMAIL,
            **kwargs,
        )


_sign_in = LoginView.as_view()


@throttle.limit("THROTTLE_PUBLIC")
def login(request: HttpRequest) -> HttpResponseBase:
    """Django's sign-in, behind the client's allowance of failed attempts (THROTTLE_LOGIN),
    taken before the password is hashed: axes locks one user name at one address, this stops
    one address trying many user names. A successful sign-in gives its token back, so an
    office behind one address is not held up by its own colleagues."""
    if request.method != "POST":
        return _sign_in(request)
    bucket = throttle.client_bucket(request, "THROTTLE_LOGIN")
    try:
        throttle.spend([bucket])
    except throttle.Throttled as exc:
        return throttle.too_many_requests(request, exc)
    response = _sign_in(request)
    if request.user.is_authenticated:
        throttle.give_back([bucket])
    return response


def locked_out(
    request: HttpRequest,
    original_response: HttpResponseBase | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a login attempt on a locked username and address."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),  # axes' default
    )


@login_required
def verify(request: AuthenticatedRequest) -> HttpResponse:
    """Second sign-in step: the code from the user's authenticator app."""
    next_url = _next_url(request)
    device = two_factor.confirmed_device(request.user)
    if device is None or two_factor.is_verified(request.user):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = two_factor.check_code(request.user, device, form.cleaned_data["token"])
        if verified is not None:
            otp_login(request, verified)
            return redirect(next_url)
        form.add_error("token", _wrong_code_message(device))
    return render(request, "accounts/verify.html", {"form": form, "next": next_url})


@login_required
def account(request: AuthenticatedRequest) -> HttpResponse:
    return _account_page(request, LanguageForm(instance=_profile(request.user)))


@login_required
@require_POST
def language_update(request: AuthenticatedRequest) -> HttpResponse:
    form = LanguageForm(request.POST, instance=_profile(request.user))
    if not form.is_valid():
        return _account_page(request, form)
    language = form.cleaned_data["language"]
    Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    translation.activate(language)
    messages.success(request, _("Your language preference has been saved."))
    response = redirect(_safe_next(request) or "accounts:account")
    # The login page, before anyone is signed in, follows the same choice on this browser.
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@sensitive_post_parameters()
@login_required
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        Profile.objects.filter(user=user).update(must_change_password=False)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:account")
    context = {"form": form, "must_change": _profile(request.user).must_change_password}
    return render(request, "accounts/password_change.html", context)


@login_required
def two_factor_settings(request: AuthenticatedRequest) -> HttpResponse:
    """Set up, see or turn off two-step sign-in. Users whose roles require it arrive here
    from every page until they have set it up, with the QR code already shown."""
    user = request.user
    if (
        two_factor.requires_two_factor(user)
        and two_factor.confirmed_device(user) is None
        and two_factor.pending_device(user) is None
    ):
        two_factor.start_totp_enrolment(user=user)
    return _two_factor_page(request, CodeForm())


@login_required
@require_POST
def two_factor_start(request: AuthenticatedRequest) -> HttpResponse:
    if two_factor.confirmed_device(request.user) is None:
        two_factor.start_totp_enrolment(user=request.user)
    return redirect("accounts:two_factor_settings")


@login_required
@require_POST
def two_factor_confirm(request: AuthenticatedRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        device = two_factor.confirm_totp_device(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)  # the code just entered verifies this session too
            messages.success(request, _("Two-step sign-in is on."))
            return redirect(
                _next_url(request) if _safe_next(request) else "accounts:two_factor_settings"
            )
        form.add_error("token", _("That code does not match. Enter the current code."))
    return _two_factor_page(request, form)


@login_required
@require_POST
def two_factor_remove(request: AuthenticatedRequest) -> HttpResponse:
    if two_factor.requires_two_factor(request.user):
        raise PermissionDenied
    form = CodeForm(request.POST)
    if form.is_valid():
        if two_factor.remove_totp_device(user=request.user, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("accounts:two_factor_settings")
        form.add_error("token", _("That code does not match. Enter the current code."))
    return _two_factor_page(request, form)


def _two_factor_page(request: AuthenticatedRequest, form: CodeForm) -> HttpResponse:
    confirmed = two_factor.confirmed_device(request.user)
    pending = None if confirmed else two_factor.pending_device(request.user)
    context = {
        "form": form,
        "confirmed": confirmed,
        "pending": pending,
        "required": two_factor.requires_two_factor(request.user),
        "next": _safe_next_from_query(request),
    }
    if pending is not None:
        context |= {"qr_svg": two_factor.qr_svg(pending), "secret": two_factor.secret_of(pending)}
    return render(request, "accounts/two_factor.html", context)


def _account_page(request: AuthenticatedRequest, language_form: LanguageForm) -> HttpResponse:
    user = request.user
    context = {
        "language_form": language_form,
        "role_assignments": RoleAssignment.objects.filter(user=user)
        .select_related("unit")
        .order_by("unit__path", "role"),
        "two_factor_on": two_factor.has_confirmed_device(user),
        "administers_accounts": _administers_accounts(user),
    }
    return render(request, "accounts/account.html", context)


def _profile(user: User) -> Profile:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _wrong_code_message(device: TOTPDevice) -> str:
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return _("Too many wrong codes. Wait a minute, then enter the current code.")
    return _("That code is wrong or has expired. Enter the current code.")


def _safe_next_from_query(request: HttpRequest) -> str | None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


# --- Accounts of the units a system administrator covers ----------------------------------

PEOPLE_PAGE_SIZE = 50


@login_required
def people(request: AuthenticatedRequest) -> HttpResponse:
    """The accounts a system administrator may reset, searchable by name or user name."""
    accounts = actions.accounts_administered_by(request.user)
    if not _administers_accounts(request.user):
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    if query:
        accounts = accounts.filter(
            Q(username__unaccent__icontains=query)
            | Q(first_name__unaccent__icontains=query)
            | Q(last_name__unaccent__icontains=query)
        )
    accounts = accounts.annotate(
        two_factor_on=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    ).order_by("last_name", "first_name", "username")
    page = Paginator(accounts, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/people.html", {"page": page, "query": query})


@sensitive_post_parameters()
@login_required
@require_POST
def person_reset_password(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Answer with the temporary password once, in the page body (never in a URL, a message
    stored in the session, or a cache)."""
    user = _administered_or_404(request, pk)
    temporary = actions.reset_password(actor=request.user, user=user)
    response = render(
        request, "accounts/person_reset.html", {"person": user, "temporary": temporary}
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def person_reset_two_factor(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = _administered_or_404(request, pk)
    actions.reset_two_factor(actor=request.user, user=user)
    messages.success(
        request,
        _("Two-step sign-in of %(username)s was reset.") % {"username": user.get_username()},
    )
    return redirect("accounts:people")


def _administers_accounts(user: User) -> bool:
    return user.is_superuser or bool(scope_of(user).paths_with_role(Role.SYSTEM_ADMIN))


def _administered_or_404(request: AuthenticatedRequest, pk: int) -> User:
    return get_object_or_404(actions.accounts_administered_by(request.user), pk=pk)


# --- "Forgot your password?" by e-mail, when mail is configured ----------------------------


def by_email(
    view: Callable[Concatenate[HttpRequest, _P], _R],
) -> Callable[Concatenate[HttpRequest, _P], _R]:
    """404 unless password reset by e-mail is on (settings.PASSWORD_RESET_BY_EMAIL)."""

    def wrapped(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not settings.PASSWORD_RESET_BY_EMAIL:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset: the same answer whether or not the address is known, so the form does
    not tell who has an account; the link works once and for PASSWORD_RESET_TIMEOUT."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return by_email(super().dispatch)(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return by_email(super().dispatch)(request, *args, **kwargs)

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        Profile.objects.filter(user=form.user).update(must_change_password=False)
        return super().form_valid(form)


# --- API tokens: each person's own, and those of the units a system administrator covers ----

TOKENS_PAGE_SIZE = 50
# The secret waits in the (server-side) session between the POST and the page showing it,
# which takes it out: a reload of that page finds nothing, and creates nothing either.
_NEW_SECRET = "api_token_secret"


@login_required
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        api_token, secret = actions.create_api_token(
            actor=request.user,
            name=form.cleaned_data["name"],
            unit=form.cleaned_data["unit"],
            role=form.cleaned_data["role"],
            expires_at=form.expires_at(),
        )
        request.session[_NEW_SECRET] = {"id": api_token.pk, "secret": secret}
        return redirect("accounts:token_created", pk=api_token.pk)
    mine = ApiToken.objects.filter(owner=request.user).select_related("unit")
    others = (
        ApiToken.objects.visible_to(request.user)
        .exclude(owner=request.user)
        .select_related("unit", "owner")
    )
    context = {
        "form": form,
        "mine": mine,
        "others": Paginator(others, TOKENS_PAGE_SIZE).get_page(request.GET.get("page")),
        "administers_tokens": _administers_accounts(request.user),
        "now": timezone.now(),
    }
    return render(request, "accounts/tokens.html", context)


@login_required
def token_created(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    api_token = get_object_or_404(
        ApiToken.objects.filter(owner=request.user).select_related("unit"), pk=pk
    )
    waiting = request.session.get(_NEW_SECRET) or {}
    secret = None
    if waiting.get("id") == api_token.pk:
        secret = request.session.pop(_NEW_SECRET)["secret"]
    response = render(
        request, "accounts/token_created.html", {"api_token": api_token, "secret": secret}
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tokens = ApiToken.objects.filter(
        Q(owner=request.user) | Q(pk__in=ApiToken.objects.visible_to(request.user))
    )
    api_token = get_object_or_404(tokens.select_related("unit"), pk=pk)
    actions.revoke_api_token(actor=request.user, token=api_token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": api_token.name})
    return redirect("accounts:token_list")
