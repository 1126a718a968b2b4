"""The admin site, for superusers only, and only with a verified second factor.

Installed through INSTALLED_APPS (CivilityAdminConfig) so `admin.site` is this site for
every app's admin.py and for civility/urls.py.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


class CivilityAdminSite(admin.AdminSite):
    site_header = _("Civility administration")
    site_title = _("Civility administration")

    def has_permission(self, request: HttpRequest) -> bool:
        # late: INSTALLED_APPS loads this module before any models can load
        from civility.accounts.two_factor import (
            has_confirmed_device,
            is_verified,
            requires_two_factor,
        )

        user = request.user
        if not (user.is_active and user.is_superuser):
            return False
        # The OTPRequiredMiddleware already holds unverified sessions at the code or
        # enrolment page; checked again here so the admin never depends on middleware order.
        if requires_two_factor(user) or has_confirmed_device(user):
            return is_verified(user)
        return True

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Sign in through the site's own login (lockout, two-step); refuse non-superusers."""
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            return render(request, "accounts/admin_refused.html", status=403)
        return HttpResponseRedirect(reverse("accounts:login") + "?" + urlencode({"next": next_url}))


class CivilityAdminConfig(AdminConfig):
    default_site = "civility.accounts.admin_site.CivilityAdminSite"
