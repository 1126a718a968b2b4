"""The pieces every app's forms share (civility/core/forms.py)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from civility.core.forms import MultipleFileField, add_errors, errors_as_text


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label="Deadline")
    note = forms.CharField(label="Note", required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("note") == "both":
            raise ValidationError("Say one thing at a time.")
        return data


def test_errors_as_text_names_each_field_by_its_label():
    form = DeadlineForm({"deadline": "31/02/2026"})
    assert errors_as_text(form) == "Deadline: Enter a valid date."


def test_errors_as_text_gives_an_error_of_the_whole_form_without_a_label():
    form = DeadlineForm({"deadline": "2026-12-05", "note": "both"})
    assert errors_as_text(form) == "Say one thing at a time."


def test_errors_as_text_is_plain_text_not_the_html_of_an_error_list():
    form = DeadlineForm({})
    assert "<" not in errors_as_text(form)


def test_an_action_error_on_a_field_the_form_lacks_goes_on_top_of_the_form():
    form = DeadlineForm({"deadline": "2026-12-05"})
    assert form.is_valid()
    add_errors(form, ValidationError({"deadline": "Too late.", "unit": "Not yours."}))
    assert form.errors["deadline"] == ["Too late."]
    assert form.non_field_errors() == ["Not yours."]
    assert errors_as_text(form) == "Deadline: Too late. Not yours."


class EvidenceForm(forms.Form):
    files = MultipleFileField(required=False)  # type: ignore[assignment]  # see MultipleFileField


def test_several_files_in_one_field_clean_to_a_list():
    uploads = [SimpleUploadedFile(name, b"data") for name in ("a.pdf", "b.pdf")]
    form = EvidenceForm({}, MultiValueDict({"files": uploads}))
    assert form.is_valid()
    assert [upload.name for upload in form.cleaned_data["files"]] == ["a.pdf", "b.pdf"]


def test_no_file_chosen_cleans_to_an_empty_list():
    form = EvidenceForm({}, MultiValueDict())
    assert form.is_valid() and form.cleaned_data["files"] == []
