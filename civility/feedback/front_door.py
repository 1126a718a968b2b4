"""The citizens' front door: what the home address shows to someone not signed in.

Citizens come to the site from a poster, a counter or a search, on a phone, without an
account. The page leads to everything they may do here (report a public place, follow a
receipt, rate a counter, report an official anonymously) and to what is published (the codes,
the honour board, how reports were handled), each a large tap target. Signed-in people land on
their to-do list instead (orgs.views.home).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from civility.feedback.forms import ReceiptLookupForm
from civility.feedback.models import PublicReport, ReportStatus

RECENT_DAYS = 30


def public_home(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    recent = PublicReport.objects.public().filter(submitted_at__gte=since)
    figures = recent.aggregate(
        received=Count("pk"),
        closed=Count("pk", filter=Q(status__in=(ReportStatus.CLOSED, ReportStatus.MERGED))),
    )
    context = {"lookup_form": ReceiptLookupForm(), "figures": figures, "days": RECENT_DAYS}
    return render(request, "feedback/public_home.html", context)
