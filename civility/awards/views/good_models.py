"""Pages of good models and initiatives and their replication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.awards import actions
from civility.awards.figures import model_counts
from civility.awards.forms import (
    GoodModelFilterForm,
    GoodModelForm,
    ModelStatusForm,
    ReplicationForm,
)
from civility.awards.models.good_models import GoodModel, Replication
from civility.awards.models.movements import Movement
from civility.awards.models.roles import MANAGER_ROLES
from civility.awards.views.common import choosable_units, narrow_pickers, post_and_return
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.listing import paginate
from civility.orgs.context_processors import focus_unit
from civility.orgs.models import Official

# --- Good models and replication ---------------------------------------------------------


@login_required
@require_GET
def model_list(request: AuthenticatedRequest) -> HttpResponse:
    form = GoodModelFilterForm(request.GET, request=request)
    models = form.filter(
        GoodModel.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(replication_count=Count("replications"))
    )
    context = {
        "form": form,
        "listing": paginate(request, models, sorts=form.SORTS, default="-started"),
        "unit": form.unit,
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "awards/model_list.html#results", context)
    context |= {
        # ListFilterForm.__init__ replaces its declared `unit` field by the unit chosen
        # (an OrgUnit or None); the stubs only know the class attribute, the field.
        "counts": model_counts(form.unit) if form.unit else [],
        "can_create": choosable_units(request.user, MANAGER_ROLES).exists(),
    }
    return render(request, "awards/model_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def model_create(request: AuthenticatedRequest) -> HttpResponse:
    units = choosable_units(request.user, MANAGER_ROLES, small=True, former=True)
    focus = focus_unit(request, MANAGER_ROLES)
    if focus is None:
        raise PermissionDenied
    form = GoodModelForm(
        request.POST or None,
        units=units,
        movements=Movement.objects.visible_to(request.user),
        officials=Official.objects.under(focus).active(),
    )
    narrow_pickers(form, MANAGER_ROLES, small=True, focus=focus)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["authors"] = list(data["authors"])
        try:
            model = actions.register_good_model(actor=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Registered."))
            return redirect(model)
    return render(request, "awards/form.html", {"form": form, "heading": _("New good model")})


def _model(request: AuthenticatedRequest, pk: int) -> GoodModel:
    return get_object_or_404(
        GoodModel.objects.visible_to(request.user).select_related("unit", "movement"), pk=pk
    )


@login_required
@require_GET
def model_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    replications = list(model.replications.select_related("unit").order_by("adopted_on"))
    can_manage = actions.can_manage(request.user, model.unit)
    replicate_units = choosable_units(request.user, MANAGER_ROLES, small=True).exclude(
        pk=model.unit_id
    )
    timeline: dict[int, list[Replication]] = {}
    for replication in replications:
        timeline.setdefault(replication.adopted_on.year, []).append(replication)
    return render(
        request,
        "awards/model_detail.html",
        {
            "model": model,
            "replications": replications,
            "timeline": sorted(timeline.items()),
            "authors": model.authors.all(),
            "can_manage": can_manage,
            "status_form": ModelStatusForm(initial={"status": model.status})
            if can_manage
            else None,
            "replication_form": narrow_pickers(
                ReplicationForm(
                    units=replicate_units, initial={"adopted_on": timezone.localdate()}
                ),
                MANAGER_ROLES,
                small=True,
            )
            if replicate_units.exists()
            else None,
        },
    )


@login_required
@require_POST
def model_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    form = ModelStatusForm(request.POST)
    if form.is_valid():
        try:
            actions.change_model_status(actor=request.user, model=model, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Status changed."))
    return redirect(model)


@login_required
@require_POST
def model_replicate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    return post_and_return(
        request,
        ReplicationForm(
            request.POST, units=choosable_units(request.user, MANAGER_ROLES, small=True)
        ),
        lambda data: actions.replicate_model(actor=request.user, model=model, **data),
        done=_("Replication recorded."),
        back=model,
    )
