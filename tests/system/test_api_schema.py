"""Hostile input against the API: schemathesis generates requests from /api/v1/openapi.json
and sends them in-process to the WSGI application. No answer may be a 5xx, and every answer
must match the documented schema (status code, content type, body).

Bounded: a few examples per operation (SCHEMATHESIS_EXAMPLES, default 10), so that the whole
API runs in about half a minute; `make bench` runs it with 100."""

from __future__ import annotations

import os
from collections import defaultdict

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civility.accounts.actions import create_api_token
from civility.api import api
from civility.orgs.scopes import Role
from civility.wsgi import application

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))


@pytest.fixture
def api_schema(db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # As Django's test client does: the test's transaction must outlive each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def coordinator_token(cast):
    _token, secret = create_api_token(
        actor=cast.admin, name="schemathesis", unit=cast.city, role=Role.COORDINATOR
    )
    return secret


def test_the_api_never_fails_and_answers_as_documented(api_schema, coordinator_token):
    # schemathesis' pytest loader does not run under pytest 9 yet: one hypothesis run per
    # operation instead, every failure collected.
    auth = {"Authorization": f"Bearer {coordinator_token}"}
    checks = [status_code_conformance, content_type_conformance, response_schema_conformance]
    failures, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.headers = {**(case.headers or {}), **auth}
            # Each request in its own savepoint, undone afterwards: a failed statement must not
            # abort the test's transaction for the requests that follow.
            savepoint = transaction.savepoint()
            try:
                response = case.call()
            finally:
                transaction.savepoint_rollback(savepoint)
            assert response.status_code < 500, response.text[:300]
            case.validate_response(response, checks=checks)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - report every one
            lines = [line.strip() for line in str(error).splitlines() if line.strip()]
            failures.append(f"{operation.method.upper()} {operation.path}: {' / '.join(lines[:6])}")
    assert operations > 20
    assert failures == [], "\n\n".join(failures)


def _models_in(model, found, depth=0):
    if depth > 8:
        return
    for field in getattr(model, "model_fields", {}).values():
        stack = [field.annotation]
        while stack:
            kind = stack.pop()
            stack.extend(getattr(kind, "__args__", ()))
            if isinstance(kind, type) and issubclass(kind, BaseModel) and kind not in found:
                found.add(kind)
                _models_in(kind, found, depth + 1)


def test_no_two_schemas_share_a_name_in_the_openapi_document():
    # django-ninja names each component after its class: two different classes called
    # "FiguresOut" in two apps silently become one, and the document lies about one of them.
    found: set[type] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in (operation.response_models or {}).values():
                    if model is not None:
                        _models_in(model, found)
                for model in operation.models:
                    _models_in(model, found)
    by_name = defaultdict(set)
    for model in found:
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


def test_an_id_or_offset_too_large_for_the_database_is_refused_not_a_server_error(
    client, coordinator_token
):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {coordinator_token}"}
    huge = 2**70
    for url in (f"/api/v1/units/{huge}", f"/api/v1/units?offset={huge}"):
        response = client.get(url, **headers)
        assert response.status_code in (404, 422), (url, response.status_code)
        assert response.json()["message"]
