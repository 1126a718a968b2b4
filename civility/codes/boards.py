"""Printable code boards (PDF, A4 or A3): key provisions and a QR code for the public.

The font is DejaVu Sans from the npm package `dejavu-fonts-ttf` (installed with `npm install`,
never fetched at run time): it has every Vietnamese glyph, which reportlab's built-in fonts do
not. The QR code is drawn by segno as a PNG and embedded as an image.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Frame, KeepInFrame, Paragraph, Spacer

from civility.codes.models import Article, Clause, Code, CodeVersion, ProvisionKind
from civility.core.exports import pdf_stamp
from civility.core.provenance import Provenance

PAGE_SIZES = {"A4": A4, "A3": A3}
FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "dejavu-fonts-ttf" / "ttf"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
MAX_KEY_ARTICLES = 8
BRAND = colors.HexColor("#8c1c13")


class FontMissing(RuntimeError):
    pass


@cache
def register_fonts() -> None:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not regular.exists() or not bold.exists():
        raise FontMissing(f"DejaVu fonts not found in {FONT_DIR}: run `npm install`.")
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def key_articles(version: CodeVersion) -> list[Article]:
    """The articles marked key, else the first ones; never more than fit on a board."""
    articles = version.articles().prefetch_related("clauses")
    keyed = [article for article in articles if article.is_key]
    return (keyed or list(articles))[:MAX_KEY_ARTICLES]


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def _pick(obj: Code | Article | Clause, name: str, language: str) -> str:
    if language == "en":
        translated: str = getattr(obj, f"{name}_en") or getattr(obj, name)
        return translated
    original: str = getattr(obj, name)
    return original


def render_board(
    *,
    version: CodeVersion,
    where: str,
    url: str,
    qr_caption: str,
    size: str = "A4",
    language: str = "vi",
    by: User,
) -> bytes:
    """One page: the code's title, its key provisions, and a QR code opening `url`; at its
    foot, in small print, the provenance (fingerprint of the text, place and link)."""
    register_fonts()
    width, height = PAGE_SIZES[size]
    scale = width / A4[0]
    margin = 15 * mm * scale
    qr_side = 48 * mm * scale
    code = version.code
    with translation.override(language):
        title_style = ParagraphStyle(
            "title",
            fontName=FONT_BOLD,
            fontSize=20 * scale,
            leading=25 * scale,
            alignment=TA_CENTER,
            textColor=BRAND,
            spaceAfter=4 * scale,
        )
        sub_style = ParagraphStyle(
            "sub",
            fontName=FONT,
            fontSize=10 * scale,
            leading=13 * scale,
            alignment=TA_CENTER,
            textColor=colors.HexColor("#4b5563"),
            spaceAfter=8 * scale,
        )
        article_style = ParagraphStyle(
            "article",
            fontName=FONT_BOLD,
            fontSize=12.5 * scale,
            leading=16 * scale,
            spaceBefore=7 * scale,
            spaceAfter=2 * scale,
            textColor=colors.HexColor("#111827"),
        )
        clause_style = ParagraphStyle(
            "clause",
            fontName=FONT,
            fontSize=10.5 * scale,
            leading=14 * scale,
            leftIndent=8 * scale,
            bulletIndent=0,
            spaceAfter=1.5 * scale,
        )
        story = [
            Paragraph(escape(_pick(code, "title", language)), title_style),
            Paragraph(
                escape(
                    " · ".join(
                        part
                        for part in (
                            code.decision_no
                            and _("Decision No. %(number)s") % {"number": code.decision_no},
                            version.label,
                            version.is_summary and _("summary, not the official wording"),
                        )
                        if part
                    )
                ),
                sub_style,
            ),
        ]
        kind_labels = {value: str(label) for value, label in ProvisionKind.choices if value}
        data = [[_pick(code, "title", language), code.decision_no, version.label]]
        for article in key_articles(version):
            heading = _("Article %(number)d. %(title)s") % {
                "number": article.number,
                "title": _pick(article, "title", language),
            }
            story.append(Paragraph(escape(heading), article_style))
            data.append([heading])
            for clause in article.clauses.all():
                data.append([clause.kind, _pick(clause, "text", language)])
                text = escape(_pick(clause, "text", language))
                if clause.kind:
                    text = f"<b>{escape(kind_labels[clause.kind])}:</b> {text}"
                story.append(Paragraph(text, clause_style, bulletText="•"))
        story.append(Spacer(1, 4 * scale))
        footer_text = _("Display at: %(where)s") % {"where": where}
        caption = qr_caption
        data.append([where, url, caption])
        stamp = pdf_stamp(
            Provenance.start(
                title=_pick(code, "title", language),
                filters=[
                    (_("Display at"), where),
                    (_("Version"), version.label),
                    (_("Size"), size),
                ],
                by=by,
                language=language,
            ),
            data=data,
            font=FONT,
            size=5 * scale,
            bottom=margin / 2 + 3 * scale,  # inside the border, under the QR code
        )

    buffer = io.BytesIO()
    canvas = pdf_canvas.Canvas(buffer, pagesize=(width, height))
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3 * scale)
    canvas.rect(margin / 2, margin / 2, width - margin, height - margin)

    bottom = margin + qr_side + 6 * mm * scale
    frame = Frame(margin, bottom, width - 2 * margin, height - margin - bottom, showBoundary=0)
    frame.addFromList(
        [KeepInFrame(width - 2 * margin, height - margin - bottom, story, mode="shrink")], canvas
    )

    canvas.drawImage(
        ImageReader(io.BytesIO(qr_png(url))), width - margin - qr_side, margin, qr_side, qr_side
    )
    text_width = width - 3 * margin - qr_side
    caption_style = ParagraphStyle(
        "caption", fontName=FONT_BOLD, fontSize=13 * scale, leading=17 * scale, textColor=BRAND
    )
    place_style = ParagraphStyle("place", fontName=FONT, fontSize=10 * scale, leading=13 * scale)
    url_style = ParagraphStyle(
        "url",
        fontName=FONT,
        fontSize=8 * scale,
        leading=10 * scale,
        textColor=colors.HexColor("#4b5563"),
    )
    lower = Frame(margin, margin, text_width, qr_side, showBoundary=0)
    lower.addFromList(
        [
            Paragraph(escape(caption), caption_style),
            Spacer(1, 3 * scale),
            Paragraph(escape(footer_text), place_style),
            Spacer(1, 3 * scale),
            Paragraph(escape(url), url_style),
        ],
        canvas,
    )
    stamp(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
