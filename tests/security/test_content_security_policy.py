"""No inline script or style anywhere (issue 20): the policy refuses both, so an injected
<style> or style attribute cannot restyle a page to deceive its reader (a fake button
over a real one), and no template depends on what the policy would refuse."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "civility"
INLINE = re.compile(r"<style[\s>]|\sstyle=|<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)


def test_the_policy_allows_no_inline_style_or_script():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]

    assert directives["style-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]


def test_no_template_has_an_inline_style_or_script():
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        for match in INLINE.finditer(path.read_text())
    ]

    assert len(templates) > 100
    assert offenders == []


def test_htmx_is_told_not_to_inject_its_indicator_style(client, cast):
    client.force_login(cast.a.head)

    page = client.get("/").content.decode()

    assert '"includeIndicatorStyles": false' in page
