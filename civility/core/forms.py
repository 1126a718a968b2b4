"""Pieces every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: a message keyed by a field the form has
    goes under that field, any other on top of the form (so nothing an action refuses is
    lost because the form names the field differently)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def errors_as_text(form: forms.BaseForm) -> str:
    """A form's errors as one line for a message, each after its field's label ("Deadline:
    Enter a valid date."); errors of the whole form, or of a field the form does not show,
    without one. For forms posted from a page that shows them as a message, not a form."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None else None
        text = " ".join(str(message) for message in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe): cleaned into a list, empty
    when none was chosen; each file is checked as a single FileField checks it.

    A form that names such a field `files` needs `# type: ignore[assignment]` on it: Django's
    form metaclass takes declared fields out of the class, but the stubs see the field
    replacing `BaseForm.files`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []
