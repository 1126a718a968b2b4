import datetime
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.accounts.actions import DEFAULT_TOKEN_LIFETIME, roles_for_tokens
from civility.accounts.models import Profile
from civility.orgs.models import OrgUnit
from civility.orgs.pickers import UnitPicker
from civility.orgs.scopes import Role


class CodeForm(forms.Form):
    """A 6-digit code from an authenticator app."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=6,
        min_length=6,
        strip=True,
        validators=[
            RegexValidator(r"^\d{6}$", _("Enter the 6 digits shown by your authenticator app."))
        ],
        error_messages={
            "min_length": _("Enter the 6 digits shown by your authenticator app."),
            "max_length": _("Enter the 6 digits shown by your authenticator app."),
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"\d{6}",
                "autofocus": True,
            }
        ),
    )


class LanguageForm(forms.ModelForm[Profile]):
    class Meta:
        model = Profile
        fields = ["language"]
        labels = {"language": _("Language of the interface")}


class ApiTokenForm(forms.Form):
    """A new API token: what it is for, the unit and role it acts with, until when."""

    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("What the token is for, e.g. the system that will use it."),
    )
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Unit"))
    role = forms.ChoiceField(
        label=_("Role"),
        help_text=_("The token acts with this role on the unit and every unit under it."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this day the token no longer works."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        units = cast("forms.ModelChoiceField[OrgUnit]", self.fields["unit"])
        units.queryset = OrgUnit.objects.visible_to(actor).current().order_by("path")
        units.widget = UnitPicker()
        roles = cast(forms.ChoiceField, self.fields["role"])
        roles.choices = [(role, Role(role).label) for role in roles_for_tokens(actor)]
        self.fields["expires_on"].initial = timezone.localdate() + DEFAULT_TOKEN_LIFETIME

    def clean_expires_on(self) -> datetime.date:
        expires_on: datetime.date = self.cleaned_data["expires_on"]
        if expires_on <= timezone.localdate():
            raise ValidationError(_("Choose a day after today."))
        return expires_on

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        unit, role = cleaned.get("unit"), cleaned.get("role")
        if unit is not None and role and role not in roles_for_tokens(self.actor, unit):
            self.add_error(
                "role",
                _("You do not hold this role on %(unit)s.") % {"unit": unit.display_name},
            )
        return cleaned

    def expires_at(self) -> datetime.datetime:
        """The end of the chosen day, in the deployment's time zone."""
        day = self.cleaned_data["expires_on"] + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
