"""The audit log page: who changed what, when, before and after, within the reader's scope."""

from __future__ import annotations

from typing import Any, cast

from auditlog.registry import auditlog
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_stubs_ext import StrOrPromise

from civility.core.audit import may_read_log
from civility.core.http import AuthenticatedRequest
from civility.core.listing import ListFilterForm, paginate
from civility.core.models import AuditEvent, load_related_names

# Where an audited object is shown, by "app_label.model"; others are listed without a link.
OBJECT_PAGES = {
    "orgs.official": "orgs:official_detail",
    "orgs.orgunit": "orgs:unit_detail",
    "codes.code": "codes:code_detail",
    "codes.codeversion": "codes:version_detail",
    "conduct.violationrecord": "conduct:record_detail",
    "inspections.inspection": "inspections:inspection_detail",
    "programmes.programme": "programmes:programme_detail",
    "programmes.task": "programmes:task_detail",
}


def audited_content_types() -> list[ContentType]:
    models = sorted(auditlog.get_models(), key=lambda model: str(model._meta.verbose_name))
    by_model = ContentType.objects.get_for_models(*models)
    return [by_model[model] for model in models]


class AuditFilterForm(ListFilterForm):
    """The audit log's filters; the unit is the owning unit recorded with each event."""

    unit_path = "additional_data__unit_path"
    unit_defaults_to_selected = False  # events of no unit (accounts) stay in the whole log
    period_field = "timestamp"
    period_is_datetime = True
    SORTS = {"when": ("timestamp",)}

    ACTION_CHOICES = [("", _("Any"))] + [
        (str(value), label)
        for value, label in AuditEvent.Action.choices
        if value != AuditEvent.Action.ACCESS
    ]

    model = forms.TypedChoiceField(label=_("Record type"), required=False, coerce=int)
    action = forms.TypedChoiceField(
        label=_("Action"), required=False, coerce=int, choices=ACTION_CHOICES
    )
    actor = forms.CharField(
        label=_("Changed by"),
        required=False,
        max_length=150,
        widget=forms.SearchInput(attrs={"placeholder": _("User name"), "autocomplete": "off"}),
    )

    def configure(self) -> None:
        choices: list[tuple[int | str, StrOrPromise]] = [("", _("Any"))]
        choices += [
            (content_type.pk, str(model._meta.verbose_name).capitalize())
            for content_type in audited_content_types()
            # always a model: auditlog's registry holds the installed ones
            if (model := content_type.model_class()) is not None
        ]
        cast(forms.TypedChoiceField, self.fields["model"]).choices = choices

    def narrow(self, events: QuerySet[AuditEvent], data: dict[str, Any]) -> QuerySet[AuditEvent]:
        if data.get("model") not in (None, ""):
            events = events.filter(content_type_id=data["model"])
        if data.get("action") not in (None, ""):
            events = events.filter(action=data["action"])
        if data.get("actor"):
            # A hidden actor must not be found by filtering on their name either.
            events = events.filter(
                actor__username__icontains=data["actor"].strip(), actor_hidden=False
            )
        return events


def object_url(event: AuditEvent) -> str | None:
    """A link to the changed record's page, when it has one and still exists."""
    if event.action == AuditEvent.Action.DELETE or event.object_id is None:
        return None
    name = OBJECT_PAGES.get(f"{event.content_type.app_label}.{event.content_type.model}")
    if name is None:
        return None
    try:
        return reverse(name, args=[event.object_id])
    except NoReverseMatch:
        return None


@require_GET
@login_required
def audit_list(request: AuthenticatedRequest) -> HttpResponse:
    if not may_read_log(request.user):
        raise Http404
    form = AuditFilterForm(request.GET, request=request)
    events = form.filter(
        AuditEvent.objects.visible_to(request.user).select_related("actor", "content_type")
    )
    listing = paginate(request, events, sorts=form.SORTS, default="-when")
    events_shown = list(listing.page)
    load_related_names(events_shown)
    rows = [(event, object_url(event), event.shown_changes()) for event in events_shown]
    context = {"form": form, "listing": listing, "rows": rows}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "core/audit_list.html#results", context)
    return render(request, "core/audit_list.html", context)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever base.html links: send them to the SVG. Not a
    permanent redirect: the target's name carries its content hash and changes with it."""
    return redirect(static("favicon.svg"))
