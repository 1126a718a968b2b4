from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civility.accounts.models import ApiToken, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are issued where the secret can be shown once (accounts.actions); here they are
    inspected, renamed, given an expiry or revoked."""

    list_display = ["name", "owner", "unit", "role", "is_revoked", "expires_at", "last_used_at"]
    list_filter = ["role", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "key_prefix", "owner__username", "unit__name"]
    list_select_related = ["owner", "unit"]
    raw_id_fields = ["owner", "unit"]
    readonly_fields = ["key_prefix", "key_hash", "created_at", "last_used_at"]
    fields = [
        "name",
        "owner",
        "unit",
        "role",
        "key_prefix",
        "key_hash",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]

    @admin.display(boolean=True, description=_("revoked"), ordering="revoked_at")
    def is_revoked(self, token: ApiToken) -> bool:
        return token.revoked_at is not None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(
        self, request: HttpRequest, obj: ApiToken | None = None
    ) -> list[str] | tuple[str, ...]:
        # Moving a token to another owner, unit or role would silently widen what it can do.
        return [*self.readonly_fields, "owner", "unit", "role"] if obj else self.readonly_fields
