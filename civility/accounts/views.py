from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from civility.accounts import two_factor
from civility.accounts.forms import CodeForm, LanguageForm
from civility.accounts.models import Profile
from civility.feedback import throttle
from civility.orgs.models import RoleAssignment

_sign_in = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    redirect_authenticated_user=True,
    extra_context={"failure_limit": settings.AXES_FAILURE_LIMIT},
)


@throttle.limit("THROTTLE_PUBLIC")
def login(request: HttpRequest) -> HttpResponse:
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


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a login attempt on a locked username and address."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Second sign-in step: the code from the user's authenticator app."""
    next_url = _next_url(request)
    device = two_factor.confirmed_device(request.user)
    if device is None or request.user.is_verified():
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
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request, LanguageForm(instance=_profile(request.user)))


@login_required
@require_POST
def language_update(request: HttpRequest) -> HttpResponse:
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
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    _require_two_factor_role(request)
    return _two_factor_page(request, CodeForm())


@login_required
@require_POST
def two_factor_start(request: HttpRequest) -> HttpResponse:
    _require_two_factor_role(request)
    if two_factor.confirmed_device(request.user) is None:
        two_factor.start_totp_enrolment(user=request.user)
    return redirect("accounts:two_factor_settings")


@login_required
@require_POST
def two_factor_confirm(request: HttpRequest) -> HttpResponse:
    _require_two_factor_role(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        device = two_factor.confirm_totp_device(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)  # the code just entered verifies this session too
            messages.success(request, _("Two-step sign-in is on."))
            return redirect("accounts:two_factor_settings")
        form.add_error("token", _("That code does not match. Enter the current code."))
    return _two_factor_page(request, form)


@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    _require_two_factor_role(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        if two_factor.remove_totp_device(user=request.user, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("accounts:two_factor_settings")
        form.add_error("token", _("That code does not match. Enter the current code."))
    return _two_factor_page(request, form)


def _two_factor_page(request: HttpRequest, form: CodeForm) -> HttpResponse:
    confirmed = two_factor.confirmed_device(request.user)
    pending = None if confirmed else two_factor.pending_device(request.user)
    context = {"form": form, "confirmed": confirmed, "pending": pending}
    if pending is not None:
        context |= {"qr_svg": two_factor.qr_svg(pending), "secret": two_factor.secret_of(pending)}
    return render(request, "accounts/two_factor.html", context)


def _account_page(request: HttpRequest, language_form: LanguageForm) -> HttpResponse:
    user = request.user
    context = {
        "language_form": language_form,
        "role_assignments": RoleAssignment.objects.filter(user=user)
        .select_related("unit")
        .order_by("unit__path", "role"),
        "may_use_two_factor": two_factor.may_use_two_factor(user),
        "two_factor_on": two_factor.has_confirmed_device(user),
    }
    return render(request, "accounts/account.html", context)


def _require_two_factor_role(request: HttpRequest) -> None:
    if not two_factor.may_use_two_factor(request.user):
        raise Http404


def _profile(user) -> Profile:
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


def _wrong_code_message(device) -> str:
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return _("Too many wrong codes. Wait a minute, then enter the current code.")
    return _("That code is wrong or has expired. Enter the current code.")


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
