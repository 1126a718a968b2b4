"""Files as people really send them: written by a named person on a named computer, with
dates, comments and photos inside. `leaks(data)` lists what of that survives in stored bytes,
looking inside zip packages and PDF streams (compressed, or in UTF-16)."""

from __future__ import annotations

import datetime
import io
import zipfile

import docx
import openpyxl
import pikepdf
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from PIL import Image

PERSON = "Nguyen Van Reporter"
COMPANY = "ReporterCorp"
COMPUTER = "REPORTER-PC"
HOME = "nvreporter"  # the Windows account: C:\Users\nvreporter\...
WHEN = datetime.datetime(2019, 4, 5, 6, 7, 8)
# How the moment above is written by EXIF, PDF, OOXML and ODF.
WHEN_TEXTS = ("2019:04:05", "20190405", "2019-04-05")
MARKERS = (PERSON, "Reporter", COMPANY, COMPUTER, HOME, *WHEN_TEXTS)


def jpeg_with_exif(colour: str = "red") -> bytes:
    exif = Image.Exif()
    exif[0x013B] = PERSON  # Artist
    exif[0x010F] = COMPANY  # Make
    exif[0x0132] = WHEN.strftime("%Y:%m:%d %H:%M:%S")  # DateTime
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", PERSON)
    info.add_itxt("Comment", f"{COMPANY} {COMPUTER}")
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def pdf_with_metadata() -> bytes:
    """Document information, XMP, an annotation by the author, and a camera photo inside."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    photo = pikepdf.Stream(
        pdf,
        jpeg_with_exif(),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=24,
        Height=16,
        ColorSpace=pikepdf.Name.DeviceRGB,
        BitsPerComponent=8,
        Filter=pikepdf.Name.DCTDecode,
    )
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=photo))
    page.Annots = pdf.make_indirect(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Text,
                Rect=[10, 10, 30, 30],
                Contents=pikepdf.String("Xem lại"),
                T=pikepdf.String(PERSON),
                M=pikepdf.String("D:20190405060708+07'00'"),
            )
        ]
    )
    pdf.docinfo["/Author"] = PERSON
    pdf.docinfo["/Creator"] = f"{COMPANY} Writer on {COMPUTER}"
    pdf.docinfo["/Producer"] = COMPANY
    pdf.docinfo["/Title"] = f"Bien ban - {PERSON}"
    pdf.docinfo["/CreationDate"] = "D:20190405060708+07'00'"
    pdf.docinfo["/ModDate"] = "D:20190405060708+07'00'"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [PERSON]
        meta["xmp:CreatorTool"] = f"{COMPANY} on {COMPUTER}"
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def pdf_id(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return bytes(pdf.trailer.ID[0])


def _rewrite(data: bytes, changes: dict[str, callable]) -> bytes:
    """The package with some entries' bodies changed (as a real editor would have written)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            body = source.read(entry)
            if entry.filename in changes:
                body = changes[entry.filename](body)
            target.writestr(entry, body)
    return out.getvalue()


def docx_with_metadata() -> bytes:
    """Core properties, the company and template of the author's computer, a comment and a
    tracked change by the author, revision-session ids and a camera photo."""
    document = docx.Document()
    paragraph = document.add_paragraph("Biên bản làm việc.")
    document.add_comment(paragraph.runs, text="Kiểm tra lại", author=PERSON, initials="NVR")
    document.add_picture(io.BytesIO(jpeg_with_exif()))
    core = document.core_properties
    core.author = core.last_modified_by = PERSON
    core.title = f"Bien ban - {PERSON}"
    core.comments = COMPUTER
    core.created = core.modified = core.last_printed = WHEN
    buffer = io.BytesIO()
    document.save(buffer)

    def app(body: bytes) -> bytes:
        return body.replace(
            b"</Properties>",
            f"<Company>{COMPANY}</Company><Manager>{PERSON}</Manager>"
            f"<Template>C:\\Users\\{HOME}\\Normal.dotm</Template></Properties>".encode(),
        )

    def body(xml: bytes) -> bytes:
        tracked = (
            f'<w:p w:rsidR="00A1B2C3"><w:ins w:id="90" w:author="{PERSON}" '
            f'w:date="2019-04-05T06:07:08Z"><w:r><w:t>thêm</w:t></w:r></w:ins></w:p>'
        )
        return xml.replace(b"<w:sectPr", tracked.encode() + b"<w:sectPr", 1)

    def settings(xml: bytes) -> bytes:
        return xml.replace(
            b"</w:settings>",
            b'<w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00A1B2C3"/></w:rsids>'
            b"</w:settings>",
        )

    return _rewrite(
        buffer.getvalue(),
        {"docProps/app.xml": app, "word/document.xml": body, "word/settings.xml": settings},
    )


def xlsx_with_metadata() -> bytes:
    """Properties, a custom property, a comment by the author and the folder it was saved in."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Số lượt"
    sheet["A1"].comment = Comment("Kiểm tra", PERSON)
    props = workbook.properties
    props.creator = props.lastModifiedBy = PERSON
    props.title = f"Bao cao - {PERSON}"
    props.created = props.modified = props.lastPrinted = WHEN
    workbook.custom_doc_props.append(StringProperty(name="Owner", value=COMPUTER))
    buffer = io.BytesIO()
    workbook.save(buffer)

    def workbook_xml(xml: bytes) -> bytes:
        saved_in = (
            '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
            'markup-compatibility/2006"><mc:Choice Requires="x15ac"><x15ac:absPath '
            'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" '
            f'url="C:\\Users\\{HOME}\\Documents\\"/></mc:Choice></mc:AlternateContent>'
        )
        return xml.replace(b"<workbookPr", saved_in.encode() + b"<workbookPr", 1)

    return _rewrite(buffer.getvalue(), {"xl/workbook.xml": workbook_xml})


_ODF = "urn:oasis:names:tc:opendocument:xmlns"


def odt_with_metadata() -> bytes:
    """An OpenDocument text as LibreOffice writes it: meta.xml, a comment, printer settings."""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        f'xmlns:manifest="{_ODF}:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        f'xmlns:office="{_ODF}:office:1.0" xmlns:text="{_ODF}:text:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:body>'
        "<office:text><text:p>Biên bản.<office:annotation>"
        f"<dc:creator>{PERSON}</dc:creator><dc:date>2019-04-05T06:07:08</dc:date>"
        "<text:p>Xem lại</text:p></office:annotation></text:p></office:text></office:body>"
        "</office:document-content>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
        f'xmlns:office="{_ODF}:office:1.0" xmlns:meta="{_ODF}:meta:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:meta>'
        f"<meta:initial-creator>{PERSON}</meta:initial-creator><dc:creator>{PERSON}"
        "</dc:creator><meta:creation-date>2019-04-05T06:07:08</meta:creation-date>"
        f"<meta:generator>{COMPANY}</meta:generator></office:meta></office:document-meta>"
    )
    settings = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-settings '
        f'xmlns:office="{_ODF}:office:1.0" xmlns:config="{_ODF}:config:1.0" '
        'office:version="1.2"><office:settings><config:config-item-set config:name='
        '"ooo:configuration-settings"><config:config-item config:name="PrinterName" '
        f'config:type="string">{COMPUTER} Laser</config:config-item></config:config-item-set>'
        "</office:settings></office:document-settings>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        package.writestr("META-INF/manifest.xml", manifest)
        package.writestr("content.xml", content)
        package.writestr("meta.xml", meta)
        package.writestr("settings.xml", settings)
    return buffer.getvalue()


def _texts(data: bytes) -> list[bytes]:
    """The bytes as stored, plus everything inside them a reader could decompress."""
    texts = [data]
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for entry in package.infolist():
                texts.append(entry.filename.encode() + bytes(entry.extra) + entry.comment)
                texts.extend(_texts(package.read(entry)))
    if data.startswith(b"%PDF"):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            expanded = io.BytesIO()
            pdf.save(
                expanded,
                qdf=True,
                stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
            )
            texts.append(expanded.getvalue())
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    texts.append(obj.read_raw_bytes())
    return texts


def leaks(data: bytes) -> set[str]:
    """The identifying markers found in `data`, in UTF-8, UTF-16 or PDF hex strings."""
    found = set()
    for text in _texts(data):
        for marker in MARKERS:
            forms = (
                marker.encode(),
                marker.encode("utf-16-be"),
                marker.encode().hex().encode(),
                marker.encode().hex().upper().encode(),
            )
            if any(form in text for form in forms):
                found.add(marker)
    return found
