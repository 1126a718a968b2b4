"""Every file people attach is stored without what could identify whoever made it.

One function, `clean_attachment`, stands between an upload and storage for every upload point
(conduct evidence and anonymous reports, follow-up case replies, corrective-action responses,
programme task evidence, paper commitments, dissemination and nomination attachments).
The type is read from the content, never from the name, and each type is cleaned so that its
content stays exactly as it was:

- photos: re-encoded from their pixels (core.photos.clean_photo);
- PDF (pikepdf): no document information (author, creator, producer, dates), no XMP metadata
  anywhere, no application data (/PieceInfo), no annotation authors or dates, a new document
  id, no earlier revisions, and embedded JPEG images without their EXIF;
- Word and Excel (.docx, .xlsx) and OpenDocument text (.odt), edited inside the package so
  charts, images and formatting survive (openpyxl's load and save would drop charts and
  images): blank core, extended and custom properties (author, last modified by, company,
  manager, template, title, dates), no authors or dates of comments and tracked changes, no
  revision-session ids, no paths of the author's computer, no printer settings, images
  without their EXIF, and zip entries without times or owner ids;
- plain text: stored as sent (it carries no metadata), if it is text.

What cannot be cleaned is refused with a message that names the file and the form field:
encrypted or damaged files, PDFs with files embedded in them, documents with macros,
videos and every other type.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pikepdf
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civility.core.photos import clean_photo

__all__ = [
    "OFFICE",
    "OFFICE_AND_TEXT",
    "PHOTOS",
    "PHOTOS_AND_PDF",
    "clean_attachment",
]

PHOTO, PDF, WORD, EXCEL, OPENDOCUMENT, TEXT = "photo", "pdf", "docx", "xlsx", "odt", "txt"
PHOTOS = frozenset({PHOTO})
PHOTOS_AND_PDF = frozenset({PHOTO, PDF})
OFFICE = frozenset({PHOTO, PDF, WORD, EXCEL, OPENDOCUMENT})
OFFICE_AND_TEXT = OFFICE | {TEXT}
LABELS = {
    PHOTO: gettext_lazy("photos (JPEG, PNG, HEIC)"),
    PDF: "PDF",
    WORD: "Word (.docx)",
    EXCEL: "Excel (.xlsx)",
    OPENDOCUMENT: "OpenDocument (.odt)",
    TEXT: gettext_lazy("plain text (.txt)"),
}

MAX_BYTES = 10 * 1024 * 1024
# A document unpacks to far more than it weighs, but not to this: beyond, it is a zip bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 10_000


if TYPE_CHECKING:

    class CleanFile(ContentFile[bytes]):
        """What clean_attachment returns: a ContentFile whose `name` is always set (a
        ContentFile's may be None)."""

        name: str


class _Refused(Exception):
    """The file cannot be stored clean; the message says why, naming the file."""


def clean_attachment(
    upload: File[bytes], *, field: str, accept: frozenset[str], keep_name: bool = True
) -> CleanFile:
    """A ContentFile of `upload` without identifying metadata, named after the original (or
    a random name when `keep_name` is false) with the extension of what it really is.
    ValidationError({field: ...}) when it is not an accepted type or cannot be cleaned."""
    name = Path(upload.name or "").name
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {field: _("%(name)s is larger than 10 MB.") % {"name": name}}, code="too_large"
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        content, extension = _clean(data, upload, accept, name)
    except _Refused as refusal:
        raise ValidationError({field: str(refusal)}, code="unclean") from None
    stem = Path(name).stem[:80] if keep_name else uuid.uuid4().hex
    content.name = f"{stem or 'file'}.{extension}"
    return cast("CleanFile", content)


def _clean(
    data: bytes, upload: File[bytes], accept: frozenset[str], name: str
) -> tuple[ContentFile[bytes], str]:
    kind = _kind(data)
    if kind == PDF and PDF in accept:
        return ContentFile(_clean_pdf(data, name)), "pdf"
    if kind in (WORD, EXCEL, OPENDOCUMENT) and kind in accept:
        return ContentFile(_clean_package(data, kind, name)), kind
    if kind is None and PHOTO in accept:
        try:
            photo = clean_photo(upload).content
        except ValidationError:
            pass
        else:
            return photo, (photo.name or "").rsplit(".", 1)[-1]
    if kind is None and TEXT in accept and _is_text(data):
        return ContentFile(data), "txt"
    types = ", ".join(str(LABELS[kind]) for kind in sorted(accept, key=list(LABELS).index))
    raise _Refused(
        _("%(name)s is not an accepted file; accepted: %(types)s.") % {"name": name, "types": types}
    )


def _kind(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            mimetype = package.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, RuntimeError, ValueError, KeyError, OSError):
        return None
    if mimetype.strip() == b"application/vnd.oasis.opendocument.text":
        return OPENDOCUMENT
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return WORD
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return EXCEL
    return None


def _is_text(data: bytes) -> bool:
    try:
        return b"\x00" not in data and bool(data.decode("utf-8").strip())
    except UnicodeDecodeError:
        return False


# --- PDF ----------------------------------------------------------------------------------

# Keys that carry who or when on any object: XMP streams, application private data, and the
# author ("title"), dates and unique name of annotations (comments, highlights...).
_PDF_OBJECT_KEYS = ("/Metadata", "/PieceInfo")
_PDF_ANNOTATION_KEYS = ("/T", "/M", "/CreationDate", "/NM")


def _protected(name: str) -> _Refused:
    return _Refused(
        _("%(name)s is protected by a password; remove the protection and send it again.")
        % {"name": name}
    )


def _damaged(name: str) -> _Refused:
    return _Refused(_("%(name)s is damaged and cannot be read.") % {"name": name})


def _embedded(name: str) -> _Refused:
    return _Refused(
        _(
            "%(name)s has files embedded in it, which cannot be cleaned; remove them and send "
            "it again."
        )
        % {"name": name}
    )


def _clean_pdf(data: bytes, name: str) -> bytes:
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise _protected(name) from None
    except pikepdf.PdfError:
        raise _damaged(name) from None
    with pdf:
        if pdf.is_encrypted:
            raise _protected(name)
        if len(pdf.attachments):
            raise _embedded(name)
        # The document id would tie the stored copy to the author's own copy: qpdf keeps the
        # first half of an existing id, so the id goes and is made again from the content.
        for key in ("/Info", "/ID"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        for obj in pdf.objects:
            _scrub_pdf_object(obj, name)
        out = io.BytesIO()
        # A fresh file holds only what the document shows: earlier revisions (which keep the
        # old metadata) are not copied, and the id is computed from the cleaned content.
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def _scrub_pdf_object(obj: pikepdf.Object, name: str) -> None:
    """Clean one object and the direct objects inside it (an annotation is often written
    straight into a page's /Annots array); indirect ones are visited from pdf.objects."""
    if isinstance(obj, pikepdf.Array):
        for item in obj:
            if isinstance(item, pikepdf.Array | pikepdf.Dictionary) and not item.is_indirect:
                _scrub_pdf_object(item, name)
        return
    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return
    if obj.get("/Subtype") == pikepdf.Name.FileAttachment:
        raise _embedded(name)
    for key in _PDF_OBJECT_KEYS:
        if key in obj:
            del obj[key]
    if obj.get("/Type") == pikepdf.Name.Annot or ("/Subtype" in obj and "/Rect" in obj):
        for key in _PDF_ANNOTATION_KEYS:
            if key in obj:
                del obj[key]
    if isinstance(obj, pikepdf.Stream) and obj.get("/Filter") == pikepdf.Name.DCTDecode:
        raw = obj.read_raw_bytes()
        stripped = strip_jpeg(raw)
        if stripped != raw:
            obj.write(stripped, filter=pikepdf.Name.DCTDecode)
    for key in list(obj.keys()):
        value = obj[key]
        if isinstance(value, pikepdf.Array | pikepdf.Dictionary) and not value.is_indirect:
            _scrub_pdf_object(value, name)


# --- Images inside documents --------------------------------------------------------------

# JPEG segments kept: JFIF (APP0), ICC colour profile (APP2 "ICC_PROFILE") and Adobe colour
# transform (APP14). EXIF and XMP (APP1), other application data and comments go.
_APP0, _APP2, _APP14, _SOS, _EOI = 0xE0, 0xE2, 0xEE, 0xDA, 0xD9


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG without metadata segments, bit for bit the same picture. Data that is not a
    well-formed JPEG is returned as it is (a PDF may label other data as DCT)."""
    if not data.startswith(b"\xff\xd8"):
        return data
    out, position = bytearray(b"\xff\xd8"), 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return data
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        segment = data[position : position + 2 + length]
        if marker == _SOS:
            # Entropy-coded data stuffs every 0xFF with 0x00, so the first FFD9 ends the
            # picture; what follows (the extra pictures of MPF files, trailers) is dropped.
            end = data.find(b"\xff\xd9", position)
            return bytes(out + data[position : end + 2 if end >= 0 else len(data)])
        keep = (
            marker in (_APP0, _APP14)
            or (marker == _APP2 and segment[4:16] == b"ICC_PROFILE\x00")
            or not (0xE0 <= marker <= 0xEF or marker == 0xFE)
        )
        if keep:
            out += segment
        position += 2 + length
    return data


# PNG chunks that hold text, times or EXIF; the picture's own chunks stay.
_PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def strip_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        return data
    out, position = bytearray(_PNG_SIGNATURE), len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if kind not in _PNG_DROPPED:
            out += data[position:end]
        position = end
        if kind == b"IEND":
            break
    return bytes(out)


# --- Word, Excel and OpenDocument packages -------------------------------------------------

_XML = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_DOCPROPS = {
    "docProps/core.xml": _XML
    + b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://'
    b'purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://'
    b'www.w3.org/2001/XMLSchema-instance"/>',
    "docProps/app.xml": _XML
    + b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    b'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"/>',
    "docProps/custom.xml": _XML
    + b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
    b'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"/>',
    "meta.xml": _XML
    + b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="1.2"><office:meta/></office:document-meta>',
}
_WORD_RULES = (
    # Authors and initials of comments and tracked changes, people's account ids.
    (rb'(\s(?:w|w15):(?:author|initials|userId|providerId))="[^"]*"', rb'\1=""'),
    # Dates of comments and tracked changes; revision-session ids (they tie documents edited
    # on one computer together).
    (rb'\s(?:w:date|w16du:dateUtc|w:rsid\w*)="[^"]*"', b""),
    (rb"<w:rsids>.*?</w:rsids>", b""),
    # The template on the author's computer (C:\Users\<name>\...).
    (rb"<w:attachedTemplate\b[^>]*/>", b""),
)
_EXCEL_RULES = (
    (rb"<author>[^<]*</author>", b"<author></author>"),
    (rb'(\s(?:displayName|userId|providerId|userName))="[^"]*"', rb'\1=""'),
    (rb'\sdT="[^"]*"', b""),
    # The folder the workbook was saved in (C:\Users\<name>\...) and its cloud document id.
    (rb"<x15ac:absPath\b[^>]*/>", b""),
    (rb"<xr:revisionPtr\b[^>]*/>", b""),
)
_ODF_RULES = (
    (rb"<dc:creator>[^<]*</dc:creator>", b"<dc:creator></dc:creator>"),
    (rb"<dc:date>[^<]*</dc:date>", b"<dc:date>1970-01-01T00:00:00</dc:date>"),
    (rb"<meta:creator-initials>[^<]*</meta:creator-initials>", b""),
    (rb'\sofficeooo:(?:para)?rsid="[^"]*"', b""),
    (rb'<config:config-item config:name="Printer\w*"[^>]*>[^<]*</config:config-item>', b""),
)
_RULES = {WORD: _WORD_RULES, EXCEL: _EXCEL_RULES, OPENDOCUMENT: _ODF_RULES}
_TEMPLATE_LINK = re.compile(rb'<Relationship\b[^>]*attachedTemplate"[^>]*/>')


def _clean_package(data: bytes, kind: str, name: str) -> bytes:
    rules = [(re.compile(pattern, re.DOTALL), replacement) for pattern, replacement in _RULES[kind]]
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            entries = source.infolist()
            if (
                len(entries) > MAX_ENTRIES
                or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES
            ):
                raise _damaged(name)
            if any(Path(entry.filename).name.lower() == "vbaproject.bin" for entry in entries):
                raise _Refused(
                    _(
                        "%(name)s contains macros; save it as a document without macros and "
                        "send it again."
                    )
                    % {"name": name}
                )
            with zipfile.ZipFile(out, "w") as target:
                for entry in entries:
                    body = _clean_entry(entry.filename, source.read(entry), rules)
                    # A fresh entry: no modification time, no owner ids in extra fields.
                    clean = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
                    clean.compress_type = (
                        zipfile.ZIP_STORED if entry.filename == "mimetype" else zipfile.ZIP_DEFLATED
                    )
                    target.writestr(clean, body)
    except (zipfile.BadZipFile, RuntimeError, ValueError, OSError, EOFError):
        raise _Refused(
            _("%(name)s is protected by a password or damaged and cannot be cleaned.")
            % {"name": name}
        ) from None
    return out.getvalue()


def _clean_entry(name: str, body: bytes, rules: list[tuple[re.Pattern[bytes], bytes]]) -> bytes:
    if name in _DOCPROPS:
        return _DOCPROPS[name]
    lowered = name.lower()
    if lowered.endswith((".jpg", ".jpeg")):
        return strip_jpeg(body)
    if lowered.endswith(".png"):
        return strip_png(body)
    if lowered.endswith("settings.xml.rels"):
        return _TEMPLATE_LINK.sub(b"", body)
    if lowered.endswith(".xml"):
        for pattern, replacement in rules:
            body = pattern.sub(replacement, body)
    return body
