from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civility.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from civility.core import search  # noqa: F401  (registers the `unaccented` lookup)
