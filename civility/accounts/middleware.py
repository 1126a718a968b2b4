from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext


class LanguageMiddleware:
    """Serve each request in the language its user chose, else Vietnamese.

    The choice is the signed-in user's profile, else the language cookie (set by the
    switcher before login). Unlike Django's LocaleMiddleware, the browser's Accept-Language
    is ignored: offices run English-language browsers and Windows, and Vietnamese is the
    default everyone expects until they choose otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = _chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _chosen_language(request) -> str:
    from civility.accounts.models import Profile

    user = getattr(request, "user", None)
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
    """Hold a password-only session until its owner completes the second sign-in step.

    A user with a confirmed device is signed in after the password step (so the code page
    knows who they are), but reaches no other page until `request.user.is_verified()`. A user
    whose roles require two factors and who has no device yet is held at the enrolment page
    instead: setting it up verifies the session. Installed after django_otp's
    OTPMiddleware, which provides `is_verified`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = _missing_step(request)
        if step is not None:
            return _to_step(request, step)
        return self.get_response(request)


# Paths a password-only session may still reach: the second step's pages, logging out,
# static files and the language switch.
def _exempt_paths() -> tuple[str, ...]:
    from django.conf import settings

    return (
        reverse("accounts:verify"),
        reverse("accounts:two_factor_settings"),
        reverse("accounts:logout"),
        reverse("set_language"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


def _missing_step(request) -> str | None:
    """ "accounts:verify" when a code is due, "accounts:two_factor_settings" when the user must
    first enrol, None when the request may go on."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_verified():
        return None
    if request.path.startswith(_exempt_paths()):
        return None
    from civility.accounts.two_factor import has_confirmed_device, requires_two_factor

    if has_confirmed_device(user):
        return "accounts:verify"
    if requires_two_factor(user):
        return "accounts:two_factor_settings"
    return None


def _to_step(request, step: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        message = (
            gettext("Enter your two-factor code to continue.")
            if step == "accounts:verify"
            else gettext("Set up two-step sign-in to continue: your role requires it.")
        )
        return JsonResponse({"message": message, "field": None}, status=401)
    url = reverse(step) + "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        # A plain redirect would be swapped into a fragment; have htmx load the page instead.
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)
