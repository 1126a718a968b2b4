"""Stored files: unguessable names, and one way to send them.

Nothing under MEDIA_ROOT is reachable by its path: `/media/` is not routed, and the reverse
proxy serves the folder only from an `internal` location. Each app has a view that fetches the
owning object through its `visible_to(user)` (or, for what citizens may see, a public check)
and hands the file to `serve`, which either streams it (development) or answers with
`X-Accel-Redirect` so that nginx sends the bytes (FILES_ACCEL_REDIRECT_PREFIX, docs/deploy.md).

Stored names are random (`RandomName`); the name a person gave the file is kept in the
database, where the owning model wants it, and only travels back as the download name.
"""

from __future__ import annotations

import mimetypes
import re
import secrets
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

# Types a browser may show in the page; anything else is always downloaded, so an uploaded
# HTML or SVG file can never run as the site's own page.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/webp", "image/gif"})
_EXTENSION = re.compile(r"^\.[a-z0-9]{1,8}$")


@deconstructible
class RandomName:
    """`upload_to` giving `<folder>/<32 random hex digits>.<extension>`; `folder` may hold
    strftime codes ("conduct/evidence/%Y/%m/") like a plain `upload_to` string."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Model, filename: str) -> str:
        folder = timezone.now().strftime(self.folder).rstrip("/")
        return f"{folder}/{random_stem()}{extension_of(filename)}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def random_stem() -> str:
    return secrets.token_hex(16)


def extension_of(filename: str) -> str:
    """The lower-case extension, or none when it is not a plain short one."""
    suffix = PurePosixPath(filename).suffix.lower()
    return suffix if _EXTENSION.match(suffix) else ""


def is_random_name(name: str) -> bool:
    stem = PurePosixPath(name).stem
    return len(stem) == 32 and all(ch in "0123456789abcdef" for ch in stem)


def display_name(filename: str) -> str:
    """The name a person gave an upload, without any folder, kept for downloads."""
    return PurePosixPath(filename.replace("\\", "/")).name[:255]


def serve(file: FieldFile, *, filename: str) -> HttpResponseBase:
    """Send a stored file, already checked by the caller. `filename` is the download name.

    With FILES_ACCEL_REDIRECT_PREFIX set, the answer is empty with `X-Accel-Redirect`: nginx
    reads the file from its `internal` location, so workers are not held by large files.
    """
    if not file or not file.name:
        raise Http404
    name = file.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    prefix = getattr(settings, "FILES_ACCEL_REDIRECT_PREFIX", "")
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(name)}"
    else:
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    disposition = content_disposition_header(
        content_type not in INLINE_TYPES, filename or PurePosixPath(name).name
    )
    if disposition:  # None only for an inline file without a name, which never comes here
        response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    # The file is someone's evidence: no shared cache keeps it, the browser does not either.
    response["Cache-Control"] = "private, no-store"
    return response
