"""Pieces every app's forms share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: a message keyed by a field the form has
    goes under that field, any other on top of the form (so nothing an action refuses is
    lost because the form names the field differently)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
