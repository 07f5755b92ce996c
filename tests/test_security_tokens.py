"""The pieces the app server's guard is built from: signed tokens, client address keys,
planner sign-ins bound to a browser, the security headers (issue 15, findings 3, 5, 7, 8)."""

from __future__ import annotations

import pytest
from fake_time import TEST_NOW

from geo.errors import GeoError
from geo.participation.devices import device_cookie, device_id, new_device_token
from geo.security.addresses import client_key, trusted_proxies
from geo.security.headers import content_security_policy, security_headers, tile_origins
from geo.security.signins import SignIns
from geo.security.tokens import browser_id, new_token, token_id

T = TEST_NOW.timestamp()


def changed(part: str) -> str:
    """`part` with its last character replaced by another (a random token may end in any)."""
    return part[:-1] + ("B" if part.endswith("A") else "A")


def test_tokens_are_recognised_only_as_issued_for_their_purpose_and_age():
    token = new_token("device", T)
    ident = token_id("device", token, T + 10, max_age=60)
    assert ident and token.startswith(ident + ".")
    assert token_id("browser", token, T + 10, max_age=60) is None  # another purpose
    assert token_id("device", token, T + 61, max_age=60) is None  # too old
    assert token_id("device", token, T - 5, max_age=60) is None  # from the future
    ident_part, issued, signature = token.split(".")
    forged = [f"{changed(ident_part)}.{issued}.{signature}", f"{ident_part}.{int(issued) + 1}.{signature}",
              f"{ident_part}.{issued}.{changed(signature)}", "phone-1", "", None, 42, "a.b.c"]  # fmt: skip
    assert [token_id("device", f, T, max_age=60) for f in forged] == [None] * len(forged)
    assert new_token("device", T) != token
    assert token_id("device", token, T, max_age=60, key=b"another server's key") is None


def test_device_and_browser_tokens_and_their_cookie():
    token = new_device_token(T)
    assert device_id(token, T + 300 * 24 * 3600) and browser_id(token, T) is None
    cookie = device_cookie(token, secure=True)
    assert cookie.startswith(f"sr_device={token}; ") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert cookie.endswith("; Secure") and "Secure" not in device_cookie(token, secure=False)


def test_secret_key_must_be_long_enough(monkeypatch):
    from geo.security import tokens

    tokens.secret_key.cache_clear()
    monkeypatch.setenv("SMART_REGION_SECRET_KEY", "zu-kurz")
    with pytest.raises(GeoError) as err:
        tokens.secret_key()
    assert err.value.key == "err.secret_too_short"
    monkeypatch.setenv("SMART_REGION_SECRET_KEY", "x" * 40)
    tokens.secret_key.cache_clear()
    assert tokens.secret_key() == b"x" * 40
    monkeypatch.delenv("SMART_REGION_SECRET_KEY")
    tokens.secret_key.cache_clear()
    assert len(tokens.secret_key()) == 32  # random per process, with a warning in the log


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::7", "2001:db8:1:2::/64"),  # one client rotating within its /64
        ("127.0.0.1", "local"),
        ("::1", "local"),
        (None, "local"),
        ("kein<script>", "unknown"),
    ],
)
def test_client_keys_count_ipv6_by_network(address, key):
    assert client_key(address) == key


def test_trusted_proxies_are_checked():
    assert trusted_proxies(" 127.0.0.1, 10.0.0.0/24 ") == ["127.0.0.1", "10.0.0.0/24"]
    assert trusted_proxies("") == []
    with pytest.raises(GeoError) as err:
        trusted_proxies("127.0.0.1, nginx")
    assert err.value.key == "err.bad_trusted_proxy" and "nginx" in err.value.message("de")


def test_sign_ins_hold_only_for_their_browser_and_expire():
    sign_ins = SignIns(max_hours=8, idle_minutes=30)
    sign_ins.start("session-1", "planer", "browser-a", T)
    assert sign_ins.user("session-1", "browser-a", T + 60) == "planer"
    assert sign_ins.user("session-2", "browser-a", T + 60) is None
    assert sign_ins.user("session-1", None, T + 61) is None  # presented without the cookie: ended
    assert sign_ins.user("session-1", "browser-a", T + 62) is None
    sign_ins.start("session-1", "planer", "browser-a", T)
    assert sign_ins.user("session-1", "browser-a", T + 29 * 60) == "planer"
    assert sign_ins.user("session-1", "browser-a", T + 59 * 60) is None  # 30 minutes idle
    sign_ins.start("session-3", "planer", "browser-b", T)
    for minute in range(20, 8 * 60, 20):
        assert sign_ins.user("session-3", "browser-b", T + minute * 60) == "planer"
    assert sign_ins.user("session-3", "browser-b", T + 8 * 3600) is None  # 8 hours at most


def test_uploads_only_for_a_live_sign_in_within_the_budget():
    sign_ins = SignIns()
    assert sign_ins.admit_upload("viewer", "browser-a", "f1", 10, 100, T) == "signed-out"
    sign_ins.start("planner", "planer", "browser-a", T)
    assert sign_ins.admit_upload("planner", "browser-x", "f1", 10, 100, T) == "signed-out"
    sign_ins.start("planner", "planer", "browser-a", T)
    assert sign_ins.admit_upload("planner", "browser-a", "f1", 60, 100, T) is None
    assert sign_ins.admit_upload("planner", "browser-a", "f2", 60, 100, T) == "too-large"
    sign_ins.upload_removed("planner", "f1")
    assert sign_ins.admit_upload("planner", "browser-a", "f2", 60, 100, T) is None
    assert sign_ins.admit_upload("planner", "browser-a", "f2", 90, 100, T) is None  # replaces itself


def test_csp_allows_images_only_from_the_app_and_the_tile_servers():
    assert tile_origins() == ["https://sgx.geodatenzentrum.de", "https://tile.openstreetmap.org"]
    policy = dict(part.split(" ", 1) for part in content_security_policy(tile_origins()).split("; "))
    assert (
        policy["img-src"]
        == "'self' data: blob: https://sgx.geodatenzentrum.de https://tile.openstreetmap.org"
    )
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'self'"
    assert policy["object-src"] == "'none'" and "http:" not in policy["connect-src"]
    names = {name for name, _ in security_headers()}
    assert {
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
    } <= names
