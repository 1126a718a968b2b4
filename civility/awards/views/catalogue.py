"""Pages of the title catalogue: titles and their versions, quotas, base salaries, and the
reviews in progress that block proposals."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.awards import actions, bonuses
from civility.awards.forms import (
    BaseSalaryForm,
    HoldForm,
    NewTitleForm,
    QuotaForm,
    TitleForm,
)
from civility.awards.models.catalogue import AwardTitle, BaseSalary, Quota
from civility.awards.models.nominations import ReviewHold
from civility.awards.models.roles import CATALOGUE_ROLES, PROPOSER_ROLES
from civility.awards.views.common import (
    choosable_units,
    narrow_pickers,
    post_and_return,
    visible_title,
)
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.i18n import format_number
from civility.orgs.access import for_roles
from civility.orgs.context_processors import focus_unit
from civility.orgs.models import Official, OrgUnit, UnitKind

# --- Title catalogue ---------------------------------------------------------------------


@login_required
@require_GET
def title_list(request: AuthenticatedRequest) -> HttpResponse:
    titles = AwardTitle.objects.visible_to(request.user).current().select_related("unit")
    seed_units = [
        unit
        for unit in choosable_units(request.user, CATALOGUE_ROLES).filter(kind=UnitKind.PROVINCE)
        if not unit.award_titles.exists()
    ]
    manageable = choosable_units(request.user, CATALOGUE_ROLES).filter(award_titles__isnull=False)
    return render(
        request,
        "awards/title_list.html",
        {
            "titles": titles,
            "seed_units": seed_units,
            "can_create": manageable.exists(),
        },
    )


@login_required
@require_POST
def title_seed(request: AuthenticatedRequest) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=request.POST.get("unit"))
    created = actions.load_award_catalogue(actor=request.user, unit=unit)
    messages.success(
        request,
        ngettext("%(count)s title version loaded.", "%(count)s title versions loaded.", created)
        % {"count": format_number(created)},
    )
    return redirect("awards:title_list")


@login_required
@require_GET
def title_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    title = visible_title(request, pk)
    can_manage = actions.can_manage_catalogue(request.user, title.unit)
    versions = AwardTitle.objects.filter(unit=title.unit, key=title.key).order_by("-version")
    quotas = (
        Quota.objects.visible_to(request.user).filter(title_key=title.key).select_related("unit")
    )
    return render(
        request,
        "awards/title_detail.html",
        {
            "title": title,
            "versions": versions,
            "quotas": quotas,
            "can_manage": can_manage,
            "form": TitleForm(instance=title, initial={"valid_from": timezone.localdate()})
            if can_manage and title.is_current()
            else None,
            "quota_form": narrow_pickers(
                QuotaForm(units=choosable_units(request.user, CATALOGUE_ROLES + PROPOSER_ROLES)),
                CATALOGUE_ROLES + PROPOSER_ROLES,
            )
            if choosable_units(request.user, CATALOGUE_ROLES).exists()
            else None,
        },
    )


@login_required
@require_POST
def title_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    title = visible_title(request, pk)
    form = TitleForm(request.POST, instance=AwardTitle.objects.get(pk=title.pk))
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            new = actions.revise_title(
                actor=request.user,
                title=title,
                valid_from=form.cleaned_data["valid_from"],
                **changes,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Title saved (version %(n)d).") % {"n": new.version})
            return redirect(new)
    return render(request, "awards/form.html", {"form": form, "heading": title.display_name})


@login_required
@require_http_methods(["GET", "POST"])
def title_create(request: AuthenticatedRequest) -> HttpResponse:
    units = choosable_units(request.user, CATALOGUE_ROLES).filter(kind=UnitKind.PROVINCE)
    unit = units.first()
    if unit is None:
        raise PermissionDenied
    form = NewTitleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            title = actions.create_title(actor=request.user, unit=unit, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(title)
    return render(request, "awards/form.html", {"form": form, "heading": _("New title")})


@login_required
@require_POST
def quota_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    title = visible_title(request, pk)
    return post_and_return(
        request,
        QuotaForm(request.POST, units=choosable_units(request.user, CATALOGUE_ROLES)),
        lambda data: actions.set_quota(actor=request.user, title_key=title.key, **data),
        done=_("Quota set."),
        back=title,
    )


@login_required
@require_POST
def quota_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    quota = get_object_or_404(Quota.objects.visible_to(request.user), pk=pk)
    title = AwardTitle.objects.for_unit(quota.unit).filter(key=quota.title_key).first()
    actions.delete_quota(actor=request.user, quota=quota)
    messages.success(request, _("Quota removed."))
    return redirect(title) if title else redirect("awards:title_list")


# --- Reviews in progress -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@for_roles(*PROPOSER_ROLES, denied=PermissionDenied)
def hold_list(request: AuthenticatedRequest) -> HttpResponse:
    focus = focus_unit(request, PROPOSER_ROLES)
    if focus is None:
        raise PermissionDenied
    form = HoldForm(
        request.POST or None,
        units=choosable_units(request.user, PROPOSER_ROLES),
        officials=Official.objects.under(focus).active(),
    )
    narrow_pickers(form, PROPOSER_ROLES, focus=focus)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_review_hold(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Review recorded: no proposal meanwhile."))
            return redirect("awards:hold_list")
    holds = ReviewHold.objects.visible_to(request.user).select_related("unit", "official")
    return render(request, "awards/hold_list.html", {"form": form, "holds": holds})


@login_required
@require_POST
def hold_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(ReviewHold.objects.visible_to(request.user), pk=pk)
    try:
        ended_on = datetime.date.fromisoformat(request.POST.get("ended_on", ""))
        actions.end_review_hold(actor=request.user, hold=hold, ended_on=ended_on)
    except ValueError:
        messages.error(request, _("Ended on: enter a valid date."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("awards:hold_list")


# --- Base salaries -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def base_salary_list(request: AuthenticatedRequest) -> HttpResponse:
    """The national base salaries bonuses are computed from; system administrators add and
    correct them."""
    can_manage = bonuses.can_manage_base_salaries(request.user)
    form = BaseSalaryForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                bonuses.save_base_salary(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Base salary saved."))
                return redirect("awards:base_salary_list")
    salaries = BaseSalary.objects.annotate(decision_count=Count("decisions"))
    return render(
        request,
        "awards/base_salary_list.html",
        {"salaries": salaries, "form": form, "can_manage": can_manage},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def base_salary_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not bonuses.can_manage_base_salaries(request.user):
        raise PermissionDenied
    salary = get_object_or_404(BaseSalary, pk=pk)
    form = BaseSalaryForm(request.POST or None, instance=BaseSalary.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            bonuses.save_base_salary(actor=request.user, salary=salary, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Base salary saved."))
            return redirect("awards:base_salary_list")
    return render(
        request,
        "awards/form.html",
        {"form": form, "heading": _("Base salary"), "multipart": False},
        status=400 if form.errors else 200,
    )
