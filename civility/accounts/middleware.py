from django.utils import translation


class UserLanguageMiddleware:
    """Serve each signed-in user in the language they chose (Vietnamese by default)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = _language_of(user)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


def _language_of(user) -> str | None:
    from civility.accounts.models import Profile

    try:
        return user.profile.language
    except Profile.DoesNotExist:
        return None
