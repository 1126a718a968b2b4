"""The evaluation figures and the self-assessment against evidence (gaps), with its
downloads."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from civility.core import exports
from civility.core.forms import errors_as_text
from civility.core.http import AuthenticatedRequest
from civility.core.provenance import Provenance
from civility.evaluations import figures, gaps
from civility.evaluations.forms import (
    FiguresForm,
    GapForm,
)
from civility.evaluations.gaps import period_label
from civility.evaluations.models import (
    MANAGER_ROLES,
)
from civility.orgs.access import for_roles
from civility.orgs.context_processors import focus_unit
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import scope_of

# --- Figures -----------------------------------------------------------------------------


@login_required
@require_GET
@for_roles(*MANAGER_ROLES)
def figures_page(request: AuthenticatedRequest) -> HttpResponse:
    unit = focus_unit(request, MANAGER_ROLES)
    if unit is None:
        raise Http404
    form = FiguresForm(request.GET or None)
    month = form.month_or_default()
    result = figures.overview(unit, month, today=timezone.localdate())
    return render(
        request,
        "evaluations/figures.html",
        {"unit": unit, "form": form, "month": month, "figures": result},
    )


# --- Self-assessment against evidence ----------------------------------------------------


def _gap_focus(request: AuthenticatedRequest) -> OrgUnit:
    """The unit asked for (?unit=), else the switcher's; a unit the user does not manage is
    a 404."""
    unit_id = request.GET.get("unit")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404
        units = OrgUnit.objects.filter(scope_of(request.user).q("path", roles=MANAGER_ROLES))
        return get_object_or_404(units, pk=unit_id)
    unit = focus_unit(request, MANAGER_ROLES)
    if unit is None:
        raise Http404
    return unit


@login_required
@require_GET
@for_roles(*MANAGER_ROLES)
def self_assessment_gaps(request: AuthenticatedRequest) -> HttpResponse:
    """Each unit's gap between self-scores and verified scores over time, per source; as a
    table, or as .xlsx/.csv (?format=)."""
    unit = _gap_focus(request)
    form = GapForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    start, end, by = form.span()
    export = request.GET.get("format", "")
    if export and (not valid or export not in ("xlsx", "csv")):
        problem = errors_as_text(form) or _("Format: choose xlsx or csv.")
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    if valid and not (request.GET.get("start") or request.GET.get("end")):
        # Show the months the table covers rather than empty month fields.
        form = GapForm(initial={"start": start, "end": end, "by": by})
    tables = gaps.gap_tables(request.user, unit, start=start, end=end, by=by)
    if export:
        return _gap_download(request, unit, tables, start=start, end=end, by=by, kind=export)
    return render(
        request,
        "evaluations/self_assessment_gaps.html",
        {
            "unit": unit,
            "form": form,
            "tables": tables,
            "labels": [period_label(p, by) for p in gaps.periods_between(start, end, by)],
            "start": start,
            "end": end,
            "by": by,
        },
        status=200 if valid else 400,
    )


def _gap_download(
    request: AuthenticatedRequest,
    unit: OrgUnit,
    tables: list[gaps.SourceTable],
    *,
    start: datetime.date,
    end: datetime.date,
    by: str,
    kind: str,
) -> HttpResponse:
    provenance = Provenance.start(
        title=_("Self-assessment against evidence"),
        filters=[
            (_("Unit"), unit.display_name),
            (_("From"), start.strftime("%m/%Y")),
            (_("To"), end.strftime("%m/%Y")),
            (_("Group by"), dict(gaps.GROUPINGS)[by]),
        ],
        by=request.user,
    )
    rows: list[Sequence[object]] = [gaps.export_headers(), *gaps.export_rows(tables, by)]
    filename = f"self-assessment-gaps-{unit.pk}-{start:%Y%m}-{end:%Y%m}"
    if kind == "csv":
        response = HttpResponse(
            exports.csv_text(rows, provenance), content_type="text/csv; charset=utf-8"
        )
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(_("Gaps"))
        for row in rows:
            exports.append_row(sheet, row)
        response = HttpResponse(
            exports.save_xlsx(workbook, provenance),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response
