"""Pages for codes, commitments, dissemination and code boards.

Every fetch is scoped (`visible_to(user)`); anything outside the user's scope is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.codes import actions, boards, reports
from civility.codes.diff import diff_versions
from civility.codes.documents import DocumentError, parse_document, to_markdown
from civility.codes.forms import (
    ActivityForm,
    ArticleForm,
    CampaignForm,
    ImportForm,
    PaperCommitmentForm,
    SignForm,
    SummaryForm,
    VerifyActivityForm,
    VerifyCommitmentForm,
    VersionForm,
)
from civility.codes.models import (
    COORDINATOR_ROLES,
    Article,
    Code,
    CodeAudience,
    CodeVersion,
    Commitment,
    CommitmentCampaign,
    DisseminationActivity,
    DisseminationAttachment,
    Reminder,
    SignatureMethod,
    VersionStatus,
)
from civility.core.files import serve
from civility.core.i18n import format_number
from civility.orgs.context_processors import selected_unit
from civility.orgs.models import OrgUnit, Place, UnitKind
from civility.orgs.provinces import shipped_for
from civility.orgs.scopes import MANAGER_ROLES, scope_of

UNSIGNED_LIMIT = 200
BOARD_UNIT_KINDS = (UnitKind.COUNTER, UnitKind.SERVICE_POINT, UnitKind.SERVICE_BRANCH)


def _error_messages(error: ValidationError) -> list[str]:
    return error.messages


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Codes and versions -----------------------------------------------------------------


@login_required
@require_GET
def code_list(request: HttpRequest) -> HttpResponse:
    codes = (
        Code.objects.visible_to(request.user)
        .select_related("unit")
        .prefetch_related(Prefetch("versions", queryset=CodeVersion.objects.order_by("-number")))
    )
    seed_units = [
        unit
        for unit in OrgUnit.objects.filter(
            scope_of(request.user).q("path", roles=COORDINATOR_ROLES), kind=UnitKind.PROVINCE
        ).order_by("name")
        if shipped_for(unit, actions.SEEDS) and not unit.codes.exists()
    ]
    return render(request, "codes/code_list.html", {"codes": codes, "seed_units": seed_units})


@login_required
@require_POST
def code_seed(request: HttpRequest) -> HttpResponse:
    unit = get_object_or_404(
        OrgUnit.objects.visible_to(request.user).filter(kind=UnitKind.PROVINCE),
        pk=request.POST.get("unit"),
    )
    slugs = shipped_for(unit, actions.SEEDS)
    if not slugs:
        messages.error(
            request,
            _("Civility ships no code of conduct of %(province)s.")
            % {"province": unit.display_name},
        )
        return redirect("codes:code_list")
    for slug in slugs:
        actions.load_code_seed(actor=request.user, unit=unit, slug=slug)
    messages.success(
        request,
        _("The codes of %(province)s were loaded (as summaries).")
        % {"province": unit.display_name},
    )
    return redirect("codes:code_list")


@login_required
@require_GET
def code_detail(request: HttpRequest, pk: int) -> HttpResponse:
    code = get_object_or_404(Code.objects.visible_to(request.user).select_related("unit"), pk=pk)
    versions = code.versions.annotate(article_count=Count("chapters__articles")).order_by("-number")
    return render(
        request,
        "codes/code_detail.html",
        {
            "code": code,
            "versions": versions,
            "can_manage": actions.can_manage_code(request.user, code),
            "has_draft": any(v.status == VersionStatus.DRAFT for v in versions),
        },
    )


@login_required
@require_POST
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    code = get_object_or_404(Code.objects.visible_to(request.user), pk=pk)
    try:
        version = actions.create_draft_version(actor=request.user, code=code)
    except ValidationError as error:
        messages.error(request, " ".join(_error_messages(error)))
        return redirect(code)
    messages.success(request, _("Draft version %(number)d created.") % {"number": version.number})
    return redirect(version)


def _version(request: HttpRequest, pk: int) -> CodeVersion:
    return get_object_or_404(
        CodeVersion.objects.visible_to(request.user).select_related("code__unit"), pk=pk
    )


@login_required
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    chapters = version.chapters.prefetch_related("articles__clauses")
    previous = version.code.versions.filter(number__lt=version.number).order_by("-number").first()
    return render(
        request,
        "codes/version_detail.html",
        {
            "version": version,
            "code": version.code,
            "chapters": chapters,
            "previous": previous,
            "can_manage": actions.can_manage_code(request.user, version.code),
            "can_edit_articles": version.is_draft()
            and actions.can_manage_code(request.user, version.code),
            "campaigns": version.campaigns.visible_to(request.user).select_related("unit"),
        },
    )


@login_required
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    if not actions.can_manage_code(request.user, version.code):
        raise PermissionDenied
    form = VersionForm(request.POST or None, instance=CodeVersion.objects.get(pk=version.pk))
    if not version.is_draft():
        messages.error(request, _("A published version is read-only; start a new draft."))
        return redirect(version)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_version(
                actor=request.user,
                version=version,
                **{name: form.cleaned_data[name] for name in VersionForm.Meta.fields},
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Version saved."))
            return redirect(version)
    return render(request, "codes/version_form.html", {"version": version, "form": form})


@login_required
def version_import(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    if not actions.can_manage_code(request.user, version.code):
        raise PermissionDenied
    if not version.is_draft():
        messages.error(request, _("A published version is read-only; start a new draft."))
        return redirect(version)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            parsed = parse_document(upload.name, upload.read())
            actions.import_version_text(
                actor=request.user,
                version=version,
                parsed=parsed,
                language=form.cleaned_data["language"],
                is_summary=not form.cleaned_data["is_official"],
            )
        except DocumentError as error:
            form.add_error("document", str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Imported: chapters %(chapters)s, articles %(articles)s.")
                % {
                    "chapters": format_number(len(parsed.chapters)),
                    "articles": format_number(parsed.article_count()),
                },
            )
            return redirect(version)
    return render(request, "codes/version_import.html", {"version": version, "form": form})


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        actions.publish_version(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(_error_messages(error)))
    else:
        messages.success(
            request, _("Version %(number)d is published.") % {"number": version.number}
        )
    return redirect(version)


@login_required
@require_GET
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    others = version.code.versions.exclude(pk=version.pk).order_by("-number")
    against_id = request.GET.get("against")
    if against_id:
        if not against_id.isdigit():
            raise Http404
        against = get_object_or_404(others, pk=against_id)
    else:
        against = others.filter(number__lt=version.number).first() or others.first()
    if against is None:
        messages.info(request, _("This code has only one version: nothing to compare."))
        return redirect(version)
    old, new = (against, version) if against.number < version.number else (version, against)
    changes = diff_versions(old, new)
    return render(
        request,
        "codes/version_diff.html",
        {
            "version": version,
            "old": old,
            "new": new,
            "others": others,
            "changes": changes,
            "changed_count": sum(1 for change in changes if change.status != "unchanged"),
            "show_unchanged": request.GET.get("all") == "1",
        },
    )


@login_required
@require_GET
def version_markdown(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    response = HttpResponse(to_markdown(version), content_type="text/markdown; charset=utf-8")
    filename = f"{version.code.slug}-v{version.number}.md"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.filter(
            chapter__version__in=CodeVersion.objects.visible_to(request.user)
        ).select_related("chapter__version__code__unit"),
        pk=pk,
    )
    version = article.chapter.version
    if not actions.can_manage_code(request.user, version.code):
        raise PermissionDenied
    if not version.is_draft():
        messages.error(request, _("A published version is read-only; start a new draft."))
        return redirect(version)
    form = ArticleForm(request.POST or None, instance=Article.objects.get(pk=article.pk))
    if request.method == "POST" and form.is_valid():
        actions.update_article(actor=request.user, article=article, **form.cleaned_data)
        messages.success(request, _("Article saved."))
        return redirect(version)
    return render(request, "codes/article_form.html", {"article": article, "form": form})


# --- Commitments ------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = (
        CommitmentCampaign.objects.visible_to(request.user)
        .select_related("version__code", "unit")
        .order_by("closed_at", "-deadline")
    )
    can_start = (
        bool(scope_of(request.user).paths_with_role(*COORDINATOR_ROLES))
        or scope_of(request.user).is_global
    )
    return render(
        request,
        "codes/campaign_list.html",
        {"campaigns": campaigns, "can_start": can_start, "today": timezone.localdate()},
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.start_campaign(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The campaign has started."))
            return redirect(campaign)
    return render(request, "codes/campaign_form.html", {"form": form})


def _campaign(request: HttpRequest, pk: int) -> CommitmentCampaign:
    return get_object_or_404(
        CommitmentCampaign.objects.visible_to(request.user).select_related("version__code", "unit"),
        pk=pk,
    )


def _focus(request: HttpRequest, campaign: CommitmentCampaign) -> OrgUnit:
    """The unit whose figures are shown: the one asked for, else the campaign's unit when the
    user covers it, else the user's own unit inside the campaign."""
    scope = scope_of(request.user)
    unit_id = request.GET.get("unit")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404
        return get_object_or_404(
            OrgUnit.objects.visible_to(request.user).subtree_of(campaign.unit), pk=unit_id
        )
    if scope.covers(campaign.unit):
        return campaign.unit
    inside = [path for path in scope.paths if path.startswith(campaign.unit.path)]
    if not inside:
        raise Http404
    return OrgUnit.objects.get(path=min(inside, key=len))


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    focus = _focus(request, campaign)
    officials = campaign.officials().visible_to(request.user)
    whole, rows = reports.completion(campaign, officials, focus)
    unsigned = (
        officials.filter(unit__path__startswith=focus.path)
        .exclude(commitments__campaign=campaign)
        .select_related("unit")
        .order_by("unit__path", "full_name")
    )
    signed = (
        Commitment.objects.visible_to(request.user)
        .filter(campaign=campaign, official__unit__path__startswith=focus.path)
        .select_related("official__unit")
        .order_by("-signed_at")
    )
    scope = scope_of(request.user)
    signed = list(signed.select_related("verified_by")[:UNSIGNED_LIMIT])
    return render(
        request,
        "codes/campaign_detail.html",
        {
            "campaign": campaign,
            "focus": focus,
            "whole": whole,
            "rows": rows,
            "unsigned": unsigned[:UNSIGNED_LIMIT],
            "unsigned_more": max(whole.unsigned - UNSIGNED_LIMIT, 0),
            "signed": signed,
            "verifiable": _verifiable_commitments(request.user, signed),
            "can_record_paper": campaign.is_open()
            and bool(scope.paths_with_role(*MANAGER_ROLES))
            or scope.is_global,
            "can_close": campaign.closed_at is None
            and scope.covers(campaign.unit, roles=COORDINATOR_ROLES),
            "parent_focus": focus.parent
            if focus.pk != campaign.unit.pk and focus.parent and scope.covers(focus.parent)
            else None,
        },
    )


def _verifiable_commitments(user, commitments: list[Commitment]) -> set[int]:
    """Ids of the paper signatures listed that `user` may verify. Recorders are loaded once
    each, so their scopes are read once however many sheets they recorded."""
    scope = scope_of(user)
    pending = [c for c in commitments if c.method == SignatureMethod.PAPER and not c.is_verified()]
    if not pending or not (scope.is_global or scope.paths_with_role(*MANAGER_ROLES)):
        return set()
    recorders = get_user_model().objects.in_bulk({c.recorded_by_id for c in pending} - {None})
    verifiable = set()
    for commitment in pending:
        commitment.recorded_by = recorders.get(commitment.recorded_by_id)
        if actions.can_verify_commitment(user, commitment):
            verifiable.add(commitment.pk)
    return verifiable


@login_required
@require_POST
def commitment_verify(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.visible_to(request.user).select_related("official__unit"), pk=pk
    )
    form = VerifyCommitmentForm(request.POST)
    if form.is_valid():
        try:
            actions.verify_commitment(
                actor=request.user,
                commitment=commitment,
                confirmed=form.cleaned_data["confirmed"] == "yes",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The paper signature is verified."))
    else:
        messages.error(
            request,
            " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),
        )
    return redirect("codes:campaign_detail", pk=commitment.campaign_id)


@login_required
def campaign_paper(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    officials = (
        campaign.officials()
        .filter(scope_of(request.user).q("unit__path", roles=MANAGER_ROLES))
        .exclude(commitments__campaign=campaign)
        .select_related("unit")
        .order_by("full_name")
    )
    form = PaperCommitmentForm(
        request.POST or None,
        request.FILES or None,
        officials=officials,
        initial={
            "signed_on": min(timezone.localdate(), campaign.deadline),
            "official": request.GET.get("official"),
        },
    )
    if campaign.historical:
        # Offer who was in post when it opened, as campaign.officials() accepts them.
        form.fields["official"].widget.narrow(as_of=campaign.starts_on)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_paper_commitment(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is recorded as signed on paper.")
                % {"name": form.cleaned_data["official"].full_name},
            )
            return redirect(campaign)
    return render(request, "codes/campaign_paper.html", {"campaign": campaign, "form": form})


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    actions.close_campaign(actor=request.user, campaign=campaign)
    messages.success(request, _("The campaign is closed."))
    return redirect(campaign)


@login_required
@require_GET
def my_commitments(request: HttpRequest) -> HttpResponse:
    official = actions.official_of(request.user)
    context: dict = {"official": official}
    if official is not None:
        campaigns = (
            CommitmentCampaign.objects.for_official(official)
            .select_related("version__code", "unit")
            .annotate(signed_count=Count("commitments", filter=Q(commitments__official=official)))
            .order_by("deadline")
        )
        context.update(
            to_sign=[c for c in campaigns if not c.signed_count and c.is_open()],
            commitments=official.commitments.select_related("campaign__version__code"),
            reminders=Reminder.objects.filter(
                official=official, read_at__isnull=True
            ).select_related("campaign__version__code"),
        )
    return render(request, "codes/my_commitments.html", context)


@login_required
def commitment_sign(request: HttpRequest, pk: int) -> HttpResponse:
    official = actions.official_of(request.user)
    if official is None:
        raise Http404
    campaign = get_object_or_404(
        CommitmentCampaign.objects.for_official(official).select_related("version__code"), pk=pk
    )
    existing = Commitment.objects.filter(campaign=campaign, official=official).first()
    form = SignForm(request.POST or None)
    if request.method == "POST" and (existing or form.is_valid()):
        try:
            commitment, created = actions.sign_commitment(actor=request.user, campaign=campaign)
        except ValidationError as error:
            messages.error(request, " ".join(_error_messages(error)))
        else:
            if created:
                messages.success(request, _("Thank you: your commitment is recorded."))
            else:
                messages.info(request, _("You had already signed this commitment."))
            return redirect("codes:my_commitments")
    return render(
        request,
        "codes/commitment_sign.html",
        {
            "campaign": campaign,
            "version": campaign.version,
            "chapters": campaign.version.chapters.prefetch_related("articles__clauses"),
            "form": form,
            "existing": existing,
        },
    )


# --- Dissemination ----------------------------------------------------------------------


def _unit_param(request: HttpRequest) -> OrgUnit | None:
    unit_id = request.GET.get("unit")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404
        return get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
    return selected_unit(request)


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    unit = _unit_param(request)
    activities = DisseminationActivity.objects.visible_to(request.user).select_related(
        "unit", "code", "place"
    )
    if unit is not None:
        activities = activities.under(unit)
    return render(
        request,
        "codes/activity_list.html",
        {
            "unit": unit,
            "activities": activities[:200],
            "can_record": scope_of(request.user).is_global
            or bool(scope_of(request.user).paths_with_role(*MANAGER_ROLES)),
        },
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["files"] = data.pop("attachments")
        try:
            activity = actions.record_activity(actor=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The activity is recorded."))
            return redirect("codes:activity_detail", pk=activity.pk)
    return render(request, "codes/activity_form.html", {"form": form})


@login_required
@require_GET
def commitment_scan(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The scanned, signed sheet of a paper commitment."""
    commitment = get_object_or_404(Commitment.objects.visible_to(request.user), pk=pk)
    return serve(commitment.scan, filename=commitment.scan_download_name)


@login_required
@require_GET
def attachment_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = get_object_or_404(
        DisseminationAttachment.objects.filter(
            activity__in=DisseminationActivity.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return serve(attachment.file, filename=attachment.download_name)


def _activity(request: HttpRequest, pk: int) -> DisseminationActivity:
    return get_object_or_404(
        DisseminationActivity.objects.visible_to(request.user).select_related(
            "unit", "code", "place", "recorded_by", "verified_by"
        ),
        pk=pk,
    )


def _render_activity(request, activity, form=None, status=200) -> HttpResponse:
    can_verify = not activity.is_verified() and actions.can_verify_activity(request.user, activity)
    if can_verify and form is None:
        form = VerifyActivityForm(initial={"reached": activity.reached})
    return render(
        request,
        "codes/activity_detail.html",
        {"activity": activity, "verify_form": form if can_verify else None},
        status=status,
    )


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_activity(request, _activity(request, pk))


@login_required
@require_POST
def activity_verify(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    form = VerifyActivityForm(request.POST)
    if form.is_valid():
        try:
            actions.verify_activity(
                actor=request.user,
                activity=activity,
                reached=form.cleaned_data["reached"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The activity is verified."))
            return redirect("codes:activity_detail", pk=activity.pk)
    return _render_activity(request, activity, form, status=400)


@login_required
@require_GET
def dissemination_summary(request: HttpRequest) -> HttpResponse:
    unit = _unit_param(request)
    form = SummaryForm(request.GET or None)
    summary = not_reached = since = None
    if unit is not None and (form.is_valid() or not request.GET):
        start, end = form.period() if form.is_bound else (None, None)
        activities = (
            DisseminationActivity.objects.visible_to(request.user).under(unit).between(start, end)
        )
        summary = reports.dissemination_summary(activities)
        months = (form.cleaned_data.get("months") if form.is_bound else None) or 6
        since = reports.months_before(timezone.localdate(), months)
        not_reached = reports.places_not_reached(
            Place.objects.visible_to(request.user).filter(unit__path__startswith=unit.path),
            since=since,
        )[:500]
    return render(
        request,
        "codes/dissemination_summary.html",
        {
            "form": form,
            "unit": unit,
            "summary": summary,
            "not_reached": not_reached,
            "since": since,
        },
    )


# --- Code boards ------------------------------------------------------------------------


def _board_code(request: HttpRequest, unit: OrgUnit, audience: str) -> Code:
    """The published code for the audience issued by the unit or one above it."""
    parts = unit.path.strip("/").split("/")
    ancestors = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    codes = Code.objects.with_published().filter(unit__path__in=ancestors)
    code_id = request.GET.get("code")
    if code_id:
        if not code_id.isdigit():
            raise Http404
        return get_object_or_404(codes, pk=code_id)
    code = codes.filter(audience=audience).order_by("-unit__depth").first()
    if code is None:
        raise Http404(_("No published code applies here."))
    return code


def _under_published_code(audience: str, path_field: str) -> Q:
    """Rows whose unit lies under a unit that issued a published code for `audience`."""
    paths = (
        Code.objects.with_published()
        .filter(audience=audience)
        .values_list("unit__path", flat=True)
        .distinct()
    )
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def _board_response(request, *, code: Code, where: str, feedback_path: str | None, slug: str):
    """The printable board; its QR opens the feedback page where citizens rate (counters and
    places), else the public text of the code (service points and branches)."""
    size = request.GET.get("size", "A4").upper()
    if size not in boards.PAGE_SIZES:
        size = "A4"
    language = "en" if request.GET.get("lang") == "en" else "vi"
    pdf = boards.render_board(
        version=code.published_version(),
        where=where,
        url=request.build_absolute_uri(feedback_path or code.get_public_url()),
        qr_caption=_("Scan to rate the service or tell us what happened")
        if feedback_path
        else _("Scan to read the whole code"),
        size=size,
        language=language,
        by=request.user,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="board-{slug}-{size}.pdf"'
    return response


@login_required
@require_GET
def board_index(request: HttpRequest) -> HttpResponse:
    unit = selected_unit(request)
    # Only where a published code applies (_board_code): elsewhere the board would be a 404.
    counters = (
        OrgUnit.objects.visible_to(request.user)
        .filter(kind__in=BOARD_UNIT_KINDS)
        .current()
        .filter(_under_published_code(CodeAudience.OFFICIALS, "path"))
    )
    places = (
        Place.objects.visible_to(request.user)
        .filter(_under_published_code(CodeAudience.PUBLIC_PLACES, "unit__path"))
        .select_related("unit")
    )
    if unit is not None:
        counters = counters.filter(path__startswith=unit.path)
        places = places.filter(unit__path__startswith=unit.path)
    return render(
        request,
        "codes/board_index.html",
        {"unit": unit, "counters": counters.order_by("path")[:300], "places": places[:300]},
    )


@login_required
@require_GET
def board_counter(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=pk)
    code = _board_code(request, unit, CodeAudience.OFFICIALS)
    feedback = (
        reverse("feedback:counter_feedback", args=[unit.pk])
        if unit.kind == UnitKind.COUNTER
        else None
    )
    return _board_response(
        request, code=code, where=unit.name, feedback_path=feedback, slug=f"counter-{unit.pk}"
    )


@login_required
@require_GET
def board_place(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place.objects.visible_to(request.user).select_related("unit"), pk=pk)
    code = _board_code(request, place.unit, CodeAudience.PUBLIC_PLACES)
    feedback = reverse("feedback:place_feedback", args=[place.pk])
    where = f"{place.name}, {place.unit.name}"
    return _board_response(
        request, code=code, where=where, feedback_path=feedback, slug=f"place-{place.pk}"
    )


# --- Public pages (no login) ------------------------------------------------------------


def _content_language(request: HttpRequest) -> str:
    requested = request.GET.get("lang")
    if requested in ("vi", "en"):
        return requested
    return "en" if (request.LANGUAGE_CODE or "").startswith("en") else "vi"


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    codes = Code.objects.with_published().select_related("unit").order_by("unit__name", "pk")
    return render(request, "codes/public_index.html", {"codes": codes})


@require_GET
def public_code(request: HttpRequest, slug: str) -> HttpResponse:
    code = get_object_or_404(Code.objects.with_published().select_related("unit"), slug=slug)
    version = code.published_version()
    language = _content_language(request)
    return render(
        request,
        "codes/public_code.html",
        {
            "code": code,
            "version": version,
            "chapters": version.chapters.prefetch_related("articles__clauses"),
            "content_language": language,
            "other_language": "vi" if language == "en" else "en",
        },
    )
