"""Where a rating came from: told by ratings (models.py) and by flags on them (trust_models.py),
so it sits below both."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    KIOSK = "kiosk", _("Counter kiosk")
    QR = "qr", _("QR code on the counter")
    DOSSIER = "dossier", _("Dossier code")
    API = "api", _("Integration")
