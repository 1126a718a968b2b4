"""How fast the phone's answer sync is stored: batches of a whole checklist (16 answers)
posted through Django's full stack (session auth, CSRF off, ninja, the upsert), then the
same batches resent as a phone does after a lost reply.

    DATABASE_URL=postgres://…/civility_<tag> DEBUG=true .venv/bin/python bench/inspection_answers.py

Needs `load_inspections_demo`; creates surprise inspections of the demo counters and leaves
them (a development database only).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from civility.inspections import actions  # noqa: E402
from civility.inspections.models import Answer, ChecklistTemplate  # noqa: E402
from civility.orgs.models import OrgUnit, UnitKind  # noqa: E402

INSPECTIONS = 60


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    admin = get_user_model().objects.get(username="demo_admin")
    city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    counter = OrgUnit.objects.filter(kind=UnitKind.COUNTER).first()
    template = ChecklistTemplate.objects.get(slug="one-stop-counter")
    client = Client()
    client.force_login(admin)
    batches = []
    for _ in range(INSPECTIONS):
        inspection = actions.start_inspection_on_the_spot(
            actor=admin, inspecting_unit=city, template=template, unit=counter
        )
        answers = []
        for criterion in inspection.template_version.criteria():
            value = {"yes_no": "yes", "score": "2", "choice": "working", "number": "3"}.get(
                criterion.answer_kind, "ghi chú"
            )
            answers.append(
                {
                    "client_id": str(uuid.uuid4()),
                    "criterion_id": criterion.pk,
                    "value": value,
                    "answered_at": timezone.now().isoformat(),
                }
            )
        batches.append((inspection.pk, json.dumps({"answers": answers})))

    def run() -> list[float]:
        times = []
        for pk, body in batches:
            start = time.perf_counter()
            response = client.post(
                f"/api/v1/inspections/{pk}/answers", body, content_type="application/json"
            )
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content
        return times

    first = run()
    resend = run()
    stored = Answer.objects.filter(inspection_id__in=[pk for pk, _ in batches]).count()
    per = len(json.loads(batches[0][1])["answers"])
    for label, times in (("first send", first), ("resend (no-op)", resend)):
        total = sum(times)
        print(
            f"{label}: {len(times)} batches of {per} answers, median "
            f"{statistics.median(times) * 1000:.1f} ms/batch, "
            f"{len(times) * per / total:.0f} answers/s"
        )
    print(f"rows stored: {stored} (expected {len(batches) * per})")


if __name__ == "__main__":
    main()
