from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civility.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # late: auditlog and the models load once the app registry is ready
        from auditlog.registry import auditlog
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from civility.accounts import models

        auditlog.register(models.ApiToken, exclude_fields=["key_hash", "last_used_at"])
        # Turning two-step sign-in on or off is a security event; the key is never logged.
        auditlog.register(TOTPDevice, include_fields=["user", "name", "confirmed"])
