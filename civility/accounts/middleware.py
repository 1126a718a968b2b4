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
    """Hold a password-only session at the code page until its owner enters a TOTP code.

    A user with a confirmed device is signed in after the password step (so the code page
    knows who they are), but reaches no other page until `request.user.is_verified()`.
    Installed after django_otp's OTPMiddleware, which provides `is_verified`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _needs_code(request):
            return _to_code_page(request)
        return self.get_response(request)


# Paths a password-only session may still reach: the code page itself, logging out, static
# files and the language switch.
def _exempt_paths() -> tuple[str, ...]:
    from django.conf import settings

    return (
        reverse("accounts:verify"),
        reverse("accounts:logout"),
        reverse("set_language"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


def _needs_code(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_verified():
        return False
    if request.path.startswith(_exempt_paths()):
        return False
    from civility.accounts.two_factor import has_confirmed_device

    return has_confirmed_device(user)


def _to_code_page(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"message": gettext("Enter your two-factor code to continue."), "field": None},
            status=401,
        )
    url = reverse("accounts:verify") + "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        # A plain redirect would be swapped into a fragment; have htmx load the page instead.
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)
