from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext

from civility.accounts.models import Profile
from civility.accounts.two_factor import has_confirmed_device, is_verified, requires_two_factor


class LanguageMiddleware:
    """Serve each request in the language its user chose, else Vietnamese.

    The choice is the signed-in user's profile, else the language cookie (set by the
    switcher before login). Unlike Django's LocaleMiddleware, the browser's Accept-Language
    is ignored: offices run English-language browsers and Windows, and Vietnamese is the
    default everyone expects until they choose otherwise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = _chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _chosen_language(request: HttpRequest) -> str:
    user: User | AnonymousUser | None = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        try:
            return user.profile.language
        except Profile.DoesNotExist:
            pass
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in dict(settings.LANGUAGES):
        return cookie
    return settings.LANGUAGE_CODE


class OTPRequiredMiddleware:
    """Hold a signed-in session at the step its owner must complete before any other page.

    A user with a confirmed device is signed in after the password step (so the code page
    knows who they are), but reaches no other page until `request.user.is_verified()`. A user
    whose roles require two factors and who has no device yet is held at the enrolment page
    instead: setting it up verifies the session. Then a user whose password an administrator
    reset is held at the password page until they choose their own. Installed after
    django_otp's OTPMiddleware, which provides `is_verified`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        step = _missing_step(request)
        if step is not None:
            return _to_step(request, step)
        return self.get_response(request)


def _missing_step(request: HttpRequest) -> str | None:
    """The URL name of the page the session must complete first, or None."""
    user: User | AnonymousUser | None = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None

    step = None
    if not is_verified(user):
        if has_confirmed_device(user):
            step = "accounts:verify"
        elif requires_two_factor(user):
            step = "accounts:two_factor_settings"
    if step is None and _must_change_password(user):
        step = "accounts:password_change"
    if step is None or _reachable_during_step(request.path, step):
        return None
    return step


def _must_change_password(user: User) -> bool:
    try:
        return user.profile.must_change_password
    except Profile.DoesNotExist:
        return False


def _reachable_during_step(path: str, step: str) -> bool:
    """The step's own pages (and only those: a password-only session must not reach the
    password page), logging out, static files and the language switch."""
    return path.startswith(
        (
            reverse(step),
            reverse("accounts:logout"),
            reverse("set_language"),
            "/" + settings.STATIC_URL.lstrip("/"),
        )
    )


def _to_step(request: HttpRequest, step: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        message = {
            "accounts:verify": gettext("Enter your two-factor code to continue."),
            "accounts:two_factor_settings": gettext(
                "Set up two-step sign-in to continue: your role requires it."
            ),
        }.get(step, gettext("Choose a new password to continue."))
        return JsonResponse({"message": message, "field": None}, status=401)
    url = reverse(step) + "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        # A plain redirect would be swapped into a fragment; have htmx load the page instead.
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)
