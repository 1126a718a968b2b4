from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from civility.accounts.models import Profile


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


class LanguageForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["language"]
        labels = {"language": _("Language of the interface")}
