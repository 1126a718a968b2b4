"""Pages for codes and their versions: list, load a shipped code, draft, edit, import,
publish, compare."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.codes import actions
from civility.codes.diff import diff_versions
from civility.codes.documents import DocumentError, parse_document, to_markdown
from civility.codes.forms import (
    ArticleForm,
    ImportForm,
    VersionForm,
)
from civility.codes.models import (
    COORDINATOR_ROLES,
    Article,
    Code,
    CodeVersion,
    VersionStatus,
)
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.i18n import format_number
from civility.orgs.models import OrgUnit, UnitKind
from civility.orgs.provinces import provinces_shipped_for, shipped_for


@login_required
@require_GET
def code_list(request: AuthenticatedRequest) -> HttpResponse:
    codes = (
        Code.objects.visible_to(request.user)
        .select_related("unit")
        .prefetch_related(Prefetch("versions", queryset=CodeVersion.objects.order_by("-number")))
    )
    seed_units = [
        unit
        for unit, _slugs in provinces_shipped_for(request.user, COORDINATOR_ROLES, actions.SEEDS)
        if not unit.codes.exists()
    ]
    return render(request, "codes/code_list.html", {"codes": codes, "seed_units": seed_units})


@login_required
@require_POST
def code_seed(request: AuthenticatedRequest) -> HttpResponse:
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
def code_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
def version_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    code = get_object_or_404(Code.objects.visible_to(request.user), pk=pk)
    try:
        version = actions.create_draft_version(actor=request.user, code=code)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(code)
    messages.success(request, _("Draft version %(number)d created.") % {"number": version.number})
    return redirect(version)


def _version(request: HttpRequest, pk: int) -> CodeVersion:
    return get_object_or_404(
        CodeVersion.objects.visible_to(request.user).select_related("code__unit"), pk=pk
    )


@login_required
@require_GET
def version_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
def version_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
            add_errors(form, error)
        else:
            messages.success(request, _("Version saved."))
            return redirect(version)
    return render(request, "codes/version_form.html", {"version": version, "form": form})


@login_required
def version_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
            add_errors(form, error)
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
def version_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        actions.publish_version(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Version %(number)d is published.") % {"number": version.number}
        )
    return redirect(version)


@login_required
@require_GET
def version_diff(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    others = version.code.versions.exclude(pk=version.pk).order_by("-number")
    against_id = request.GET.get("against")
    against: CodeVersion | None
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
def version_markdown(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    response = HttpResponse(to_markdown(version), content_type="text/markdown; charset=utf-8")
    filename = f"{version.code.slug}-v{version.number}.md"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def article_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
