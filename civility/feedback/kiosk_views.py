"""Kiosk set-up: the counters a manager looks after, registering a kiosk for one, and the
page the tablet's link is shown on.

The secret is shown once, on a page reached by redirect after the registration (POST,
redirect, GET): a reload of that page registers nothing and does not show the secret again.
Between the POST and the GET the secret waits in the manager's session under the new
kiosk's id and is taken out by the first GET, so the idempotency store (which keeps
redirects, civility/core/idempotency.py) never holds it. The tablet takes the link by
scanning its QR code, drawn on the server as SVG (segno), or by copy and paste.
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.core.http import AuthenticatedRequest
from civility.feedback import actions
from civility.feedback.forms import DeviceForm
from civility.feedback.models import RATED_UNIT_KINDS, CounterDevice
from civility.orgs.context_processors import selected_unit
from civility.orgs.models import OrgUnit, OrgUnitQuerySet
from civility.orgs.scopes import MANAGER_ROLES, scope_of

PAGE_SIZE = 50
# Session key: {kiosk id: secret} between a registration and the page that shows it once.
PENDING_SECRETS = "feedback_kiosk_secrets"


def _counters(request: HttpRequest) -> OrgUnitQuerySet:
    return OrgUnit.objects.visible_to(request.user).filter(kind__in=RATED_UNIT_KINDS)


@login_required
@require_GET
def counter_list(request: AuthenticatedRequest) -> HttpResponse:
    """The one-stop counters under the selected unit, each with its working kiosks and, for
    whoever manages it, "Register a kiosk"."""
    unit = selected_unit(request)
    counters = _counters(request).current()
    if unit is not None:
        counters = counters.filter(path__startswith=unit.path)
    query = request.GET.get("q", "").strip()[:100]
    counters = (
        counters.search(query)
        .select_related("parent")
        .annotate(kiosks=Count("kiosk_devices", filter=Q(kiosk_devices__revoked_at__isnull=True)))
        .order_by("parent__name", "name", "pk")
    )
    page = Paginator(counters, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_of(request.user)
    # The counters whose "Register a kiosk" the page offers.
    manageable = {counter.pk for counter in page if scope.covers(counter, roles=MANAGER_ROLES)}
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "feedback/counter_list.html",
        {
            "unit": unit,
            "page": page,
            "q": query,
            "query": params.urlencode(),
            "manageable": manageable,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def device_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    counter = get_object_or_404(_counters(request).select_related("parent"), pk=pk)
    if not scope_of(request.user).covers(counter, roles=MANAGER_ROLES):
        raise PermissionDenied
    form = DeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, secret = actions.register_device(
            actor=request.user, counter=counter, name=form.cleaned_data["name"]
        )
        return _to_link_page(request, device, secret, reissued=False)
    return render(request, "feedback/device_create.html", {"counter": counter, "form": form})


@login_required
@require_POST
def device_reissue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(
        CounterDevice.objects.visible_to(request.user).select_related("counter"), pk=pk
    )
    try:
        device, secret = actions.reissue_device_key(actor=request.user, device=device)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("feedback:counter_detail", device.counter_id)
    return _to_link_page(request, device, secret, reissued=True)


def _to_link_page(
    request: HttpRequest, device: CounterDevice, secret: str, *, reissued: bool
) -> HttpResponse:
    pending = request.session.get(PENDING_SECRETS, {})
    pending[str(device.pk)] = [secret, reissued]
    request.session[PENDING_SECRETS] = pending
    return redirect("feedback:device_link", device.pk)


@login_required
@require_GET
@never_cache  # the answer carries the secret
def device_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The kiosk's link, QR code and copy button, once: the secret leaves the session here.
    Later visits (a reload, the back button) say it was shown and offer a new link."""
    device = get_object_or_404(
        CounterDevice.objects.visible_to(request.user).select_related("counter"), pk=pk
    )
    pending = request.session.get(PENDING_SECRETS, {})
    secret, reissued = pending.pop(str(device.pk), (None, False))
    request.session[PENDING_SECRETS] = pending
    context = {
        "counter": device.counter,
        "device": device,
        "reissued": reissued,
        "can_manage": scope_of(request.user).covers(device.counter, roles=MANAGER_ROLES),
    }
    if secret is not None:
        link = request.build_absolute_uri(reverse("feedback:kiosk")) + "#key=" + secret
        context |= {"link": link, "qr_svg": kiosk_qr_svg(link)}
    return render(request, "feedback/device_created.html", context)


def kiosk_qr_svg(link: str) -> str:
    """The link as an inline SVG QR code, drawn here: no image library, no outside service,
    and inline SVG passes the Content-Security-Policy."""
    return segno.make(link, error="m").svg_inline(
        scale=6, dark="#000", light="#fff", svgclass="kiosk-qr", title=_("Kiosk link")
    )


@login_required
@require_POST
def device_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(
        CounterDevice.objects.visible_to(request.user).select_related("counter"), pk=pk
    )
    actions.revoke_device(actor=request.user, device=device)
    messages.success(request, _("The kiosk's key is revoked."))
    return redirect("feedback:counter_detail", device.counter_id)
