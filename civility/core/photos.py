"""Photos from phones (inspections, citizens' reports, anonymous reports): JPEG, PNG or HEIC
(iPhone camera) up to 10 MB; anything else is refused.

Every photo is re-encoded from its pixels alone, so nothing of the original file's metadata
survives: no EXIF (GPS position, camera, time), no XMP, no comments, no embedded thumbnails.
The EXIF orientation is applied first so the picture stays upright. HEIC is decoded by the
`pillow-heif` wheel and stored as JPEG, which every browser shows. Very large pictures are
scaled down to MAX_SIDE pixels on their long side.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # the wheel ships libheif; without it HEIC photos are refused with a clear message
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIC_SUPPORTED = True
except ImportError:  # pragma: no cover - depends on the platform's wheels
    HEIC_SUPPORTED = False

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2560
JPEG_QUALITY = 85
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "HEIF": "jpg"}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/heic,image/heif,.heic,.heif,.jpg,.jpeg,.png"


@dataclass
class CleanPhoto:
    content: ContentFile[bytes]
    width: int
    height: int
    original_format: str


def clean_photo(upload: File[bytes]) -> CleanPhoto:
    """Validate an uploaded photo and return a metadata-free copy, or ValidationError."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The photo is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            original_format = probe.format or ""
        if original_format not in ACCEPTED_FORMATS:
            raise UnidentifiedImageError
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("Only JPEG, PNG or HEIC photos are accepted; this file is not one of them.")
            if HEIC_SUPPORTED
            else _("Only JPEG or PNG photos are accepted; this file is not one of them."),
            code="invalid_type",
        ) from None
    image = ImageOps.exif_transpose(image)
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    extension = ACCEPTED_FORMATS[original_format]
    if extension == "png":
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    else:
        mode = "RGB"
    image = image.convert(mode)
    # A fresh image from raw pixels carries no info dict at all: nothing to leak.
    bare = Image.frombytes(mode, image.size, image.tobytes())
    buffer = io.BytesIO()
    if extension == "png":
        bare.save(buffer, format="PNG", optimize=True)
    else:
        bare.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanPhoto(
        content=ContentFile(buffer.getvalue(), name=f"photo.{extension}"),
        width=bare.width,
        height=bare.height,
        original_format=original_format,
    )
