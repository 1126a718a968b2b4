"""The project's URLs plus /bench/bare/: a bare Django view doing one ORM INSERT of a rating
(the baseline the kiosk endpoint is compared with; same middleware, same table)."""

import json
import os
import uuid

from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from civility.feedback.models import ServiceRating
from civility.urls import urlpatterns as project_urlpatterns

COUNTER_ID = int(os.environ.get("BENCH_COUNTER_ID", "1"))


@csrf_exempt
def bare_insert(request):
    data = json.loads(request.body)
    now = timezone.now()
    ServiceRating.objects.create(
        client_id=uuid.UUID(data["client_id"]),
        counter_id=COUNTER_ID,
        channel="api",
        scale="five",
        level=data["level"],
        score=100,
        side=1,
        rated_at=now,
        rated_on=now.date(),
    )
    return HttpResponse(status=201)


urlpatterns = [path("bench/bare/", bare_insert), *project_urlpatterns]
