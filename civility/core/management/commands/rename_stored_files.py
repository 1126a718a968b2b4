"""manage.py rename_stored_files: give every file stored before random names one.

Files uploaded before civility.core.files.RandomName kept the name they were sent with
(`IMG_0001.pdf`) or a predictable one (`bao-cao-1-2026-H2.docx`). Their display names were
copied to the database by the migrations that introduced random names; this command moves
each file to a random name in the same folder and points its row at it.

A command rather than a data migration: moving files on shared storage is not part of the
database transaction (a failed migration could not put them back), may take long on a large
MEDIA_ROOT, and must be possible to run again. Run it once after `migrate`; a second run
finds nothing to do. Rows are updated without an audit event: the file's content and the
name people see do not change.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core.files import extension_of, is_random_name, random_stem
from civility.core.i18n import format_number


def stored_file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def random_name_beside(name: str) -> str:
    path = PurePosixPath(name)
    return str(path.parent / f"{random_stem()}{extension_of(name)}")


class Command(BaseCommand):
    help = "Move files stored under their original or a predictable name to a random name."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the files to rename; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        for model, field in stored_file_fields():
            renamed = missing = 0
            rows = (
                model._base_manager.exclude(**{field.attname: ""})
                .values_list("pk", field.attname)
                .order_by("pk")
            )
            for pk, name in rows.iterator():
                if is_random_name(name):
                    continue
                if not field.storage.exists(name):
                    missing += 1
                    continue
                if not dry_run:
                    self._rename(model, field, pk, name)
                renamed += 1
            if renamed or missing:
                label = f"{model._meta.label}.{field.name}"
                self.stdout.write(
                    (
                        _("%(field)s: %(count)s to rename")
                        if dry_run
                        else _("%(field)s: %(count)s renamed")
                    )
                    % {"field": label, "count": format_number(renamed)}
                )
                if missing:
                    self.stderr.write(
                        ngettext(
                            "%(field)s: %(count)s file is missing from the storage",
                            "%(field)s: %(count)s files are missing from the storage",
                            missing,
                        )
                        % {"field": label, "count": format_number(missing)}
                    )

    @staticmethod
    def _rename(model: type[models.Model], field: models.FileField, pk: object, name: str) -> None:
        storage = field.storage
        with storage.open(name, "rb") as handle:
            saved = storage.save(random_name_beside(name), handle)
        changed = model._base_manager.filter(pk=pk, **{field.attname: name}).update(
            **{field.attname: saved}
        )
        # Only once the row points at the new copy is the old file removed; a row changed
        # meanwhile keeps its own file and the copy goes.
        storage.delete(name if changed else saved)
