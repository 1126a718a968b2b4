"""Nobody chooses their own address: X-Forwarded-For is believed only from TRUSTED_PROXIES,
and then its right-most address that is not one of ours is the client's (issue 20, item 6)."""

from __future__ import annotations

import runpy
from pathlib import Path

from django.test import RequestFactory

from civility.core.clients import client_address, client_network

PROXY = "10.0.0.5"
CLIENT = "198.51.100.7"
FORGED = "192.0.2.99"


def _request(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_forwarded_address_is_ignored_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []

    assert client_address(_request(CLIENT, FORGED)) == CLIENT


def test_forwarded_address_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]

    assert client_address(_request(CLIENT, FORGED)) == CLIENT


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]

    # The client wrote FORGED itself; our proxy appended the address it saw (CLIENT); an
    # inner proxy of ours appended the outer one's.
    request = _request(PROXY, f"{FORGED}, {CLIENT}, 10.0.0.9")

    assert client_address(request) == CLIENT


def test_a_trusted_proxy_without_a_forwarded_address_stays_the_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]

    assert client_address(_request(PROXY)) == PROXY
    assert client_address(_request(PROXY, "not-an-address")) == PROXY


def test_one_ipv6_subscriber_is_one_client_for_throttles(settings):
    settings.TRUSTED_PROXIES = []

    first = client_network(_request("2001:db8:1:2:aaaa::1"))
    second = client_network(_request("2001:db8:1:2:bbbb::2"))

    assert first == second == "2001:db8:1:2::/64"
    assert client_network(_request(CLIENT)) == CLIENT


def test_gunicorn_trusts_the_same_proxies_and_logs_no_receipt(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/24")
    config = runpy.run_path(str(Path(__file__).parents[2] / "gunicorn.conf.py"))

    assert config["forwarded_allow_ips"] == "10.0.0.0/24"
    mask = config["RECEIPT_IN_PATH"]
    assert mask.sub(r"\1-", "/feedback/r/ABCD-2345/") == "/feedback/r/-/"
    assert mask.sub(r"\1-", "/feedback/c/ABCD-2345/") == "/feedback/c/-/"
    assert mask.sub(r"\1-", "/open311/v2/requests/ABCD-2345.json") == "/open311/v2/requests/-"
    assert "%(h)s" not in config["access_log_format"]  # no client address
