"""Security headers, Content-Security-Policy, CSRF, the deploy checklist and the replica
route for read-only pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from civility.core.replica import ReplicaRouter, reads_replica, replica, replica_alias
from civility.orgs.models import OrgUnit

ROOT = Path(__file__).resolve().parents[2]
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def test_pages_carry_a_policy_that_forbids_inline_script(client, cast):
    client.force_login(cast.a.head)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_inline_event_handlers():
    offenders = []
    for template in sorted((ROOT / "civility").rglob("templates/**/*.html")):
        text = template.read_text()
        for attributes in SCRIPT_TAG.findall(text):
            if "src=" not in attributes and "application/json" not in attributes:
                offenders.append(f"{template.relative_to(ROOT)}: inline <script>")
        if INLINE_HANDLER.search(text):
            offenders.append(f"{template.relative_to(ROOT)}: inline on…= handler")
    assert offenders == []


def test_hsts_is_sent_over_https_and_never_over_plain_http(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    plain = client.get("/accounts/login/")
    secure = client.get("/accounts/login/", secure=True)
    assert "Strict-Transport-Security" not in plain
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forms_refuse_a_post_without_the_csrf_token(cast):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403
    browser.force_login(cast.a.head)
    for url in ("/accounts/language/", "/unit/select/", "/accounts/logout/"):
        assert browser.post(url, {}).status_code == 403, url


def test_the_deploy_checklist_is_clean_with_production_settings():
    env = {
        # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE, which production never has.
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "p" * 20 + "-production-only-Zx9!kQ2@mW7#rT4$vB8%nL3^",
        "ALLOWED_HOSTS": "civility.example.gov.vn",
        "CSRF_TRUSTED_ORIGINS": "https://civility.example.gov.vn",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
    }
    if not env["DATABASE_URL"]:
        pytest.skip("needs DATABASE_URL: the checks do not start the embedded server")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- the read-only route to a replica ------------------------------------------------------


def test_reads_go_to_the_replica_only_inside_a_replica_block(settings):
    settings.DATABASES = {**django_settings.DATABASES, "replica": {}}
    router = ReplicaRouter()
    assert router.db_for_read(OrgUnit) == "default"
    with replica():
        assert replica_alias() == "replica"
        assert router.db_for_read(OrgUnit) == "replica"
        assert router.db_for_write(OrgUnit) == "default"
        # Who is signed in comes from the primary: a new session may not have replicated yet.
        from django.contrib.sessions.models import Session

        assert router.db_for_read(Session) == "default"
    assert router.db_for_read(OrgUnit) == "default"
    assert router.allow_migrate("replica", "orgs") is False
    assert router.allow_migrate("default", "orgs") is True

    @reads_replica
    def dashboard():
        return replica_alias()

    assert dashboard() == "replica" and replica_alias() == "default"


def test_without_a_replica_everything_reads_the_primary(settings):
    settings.DATABASES = {"default": django_settings.DATABASES["default"]}
    with replica():
        assert ReplicaRouter().db_for_read(OrgUnit) == "default"


def test_a_configured_replica_url_adds_the_alias_and_the_router():
    code = (
        "from django.conf import settings as s;"
        "print(sorted(s.DATABASES), s.DATABASE_ROUTERS, s.DATABASES['replica']['HOST'],"
        " s.DATABASES['replica']['TEST'])"
    )
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": "postgres://civility@10.0.0.1:5432/civility",
        "DATABASE_REPLICA_URL": "postgres://civility_ro@10.0.0.2:5432/civility",
        "DJANGO_SETTINGS_MODULE": "civility.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    expected = "['default', 'replica'] ['civility.core.replica.ReplicaRouter'] 10.0.0.2"
    assert expected in result.stdout
    assert "'MIRROR': 'default'" in result.stdout
