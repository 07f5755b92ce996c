"""Planner accounts: argon2id hashes from env/secrets, verification, slow-down and lockout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

from geo.auth import (
    ENV_VAR,
    AuthError,
    LockoutPolicy,
    LoginGuard,
    authenticate,
    guard_for,
    hash_password,
    load_accounts,
)
from geo.config import Settings

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "Salzland-Planung-2025"


@pytest.fixture(scope="module")
def accounts() -> dict[str, str]:
    return {"planer": hash_password(PASSWORD), "anna.schmidt": hash_password("anderes Passwort")}


class FakeTime:
    """A clock the test moves, and a sleep that only records (no real waiting)."""

    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def guard(tmp_path, fake) -> LoginGuard:
    return LoginGuard(tmp_path / "auth.sqlite", clock=fake.clock, sleep=fake.sleep)


def test_hash_is_argon2id_and_verifies():
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert PasswordHasher().verify(hashed, PASSWORD)
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(hashed, PASSWORD + "x")
    assert hash_password(PASSWORD) != hashed  # salted


def test_empty_password_cannot_be_hashed():
    with pytest.raises(AuthError) as exc:
        hash_password("")
    assert exc.value.key == "err.auth_empty_password"


def test_accounts_from_env_and_secrets_env_wins(accounts):
    env = {ENV_VAR: json.dumps({"planer": accounts["planer"]})}
    secrets = {"planer": accounts["anna.schmidt"], "anna.schmidt": accounts["anna.schmidt"]}
    loaded = load_accounts(secrets, env=env)
    assert loaded == {"planer": accounts["planer"], "anna.schmidt": accounts["anna.schmidt"]}
    assert load_accounts(None, env={}) == {}


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("{not json", "JSON"),
        ('["planer"]', "JSON-Objekt"),
        ('{"planer": "klartext-passwort"}', "argon2"),
        ('{"plan er": "$argon2id$v=19$x"}', "Kontoname"),
    ],
)
def test_bad_configuration_is_a_readable_error(raw, fragment):
    with pytest.raises(AuthError) as exc:
        load_accounts(None, env={ENV_VAR: raw})
    assert exc.value.key == "err.auth_config"
    assert fragment in exc.value.message("de")
    assert "klartext-passwort" not in exc.value.message("de")  # never echo a password


def test_right_password_signs_in(accounts, guard, fake):
    assert authenticate(" planer ", PASSWORD, accounts, guard) == "planer"
    assert fake.slept == []


@pytest.mark.parametrize(("user", "password"), [("planer", "falsch"), ("niemand", PASSWORD), ("planer", "")])
def test_wrong_password_or_unknown_user_is_refused_alike(accounts, guard, user, password):
    with pytest.raises(AuthError) as exc:
        authenticate(user, password, accounts, guard)
    assert exc.value.key == "err.auth_failed"
    assert "falsch" in exc.value.message("de") and "wrong" in exc.value.message("en")


def test_failures_slow_down_then_lock_even_the_right_password(accounts, guard, fake):
    for _ in range(4):
        with pytest.raises(AuthError, match="falsch"):
            authenticate("planer", "falsch", accounts, guard)
    assert fake.slept == [0.5, 1.0, 2.0, 4.0]  # growing delay per failure
    with pytest.raises(AuthError) as exc:
        authenticate("planer", "falsch", accounts, guard)
    assert exc.value.key == "err.auth_locked"
    with pytest.raises(AuthError) as exc:
        authenticate("planer", PASSWORD, accounts, guard)
    assert exc.value.key == "err.auth_locked" and exc.value.params["n"] == 5
    # the other account is not affected
    assert authenticate("anna.schmidt", "anderes Passwort", accounts, guard) == "anna.schmidt"
    fake.now += LockoutPolicy().lock_seconds + 1
    assert authenticate("planer", PASSWORD, accounts, guard) == "planer"


def test_success_resets_the_count_and_old_failures_expire(accounts, guard, fake):
    for _ in range(4):
        with pytest.raises(AuthError):
            authenticate("planer", "falsch", accounts, guard)
    authenticate("planer", PASSWORD, accounts, guard)
    with pytest.raises(AuthError) as exc:
        authenticate("planer", "falsch", accounts, guard)
    assert exc.value.key == "err.auth_failed" and fake.slept[-1] == 0.5
    fake.now += LockoutPolicy().window_seconds + 1
    assert guard.failed("planer") == 1


def test_lockout_holds_across_processes(tmp_path, accounts):
    """Failures counted by another process (another Streamlit server) lock here, too."""
    path = tmp_path / "auth.sqlite"
    script = (
        "import sys; from geo.auth import LoginGuard\n"
        "g = LoginGuard(sys.argv[1])\n"
        "for _ in range(5): g.failed('Planer')\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], cwd=REPO, check=True, timeout=60)
    guard = LoginGuard(path, sleep=lambda s: None)
    assert guard.locked_for("planer") > 0  # account names compare case-insensitively
    with pytest.raises(AuthError) as exc:
        authenticate("planer", PASSWORD, accounts, guard)
    assert exc.value.key == "err.auth_locked"


def test_guard_lives_in_the_data_directory(tmp_path):
    guard = guard_for(Settings(data=str(tmp_path / "store"), auth_db=""))
    assert guard.path == tmp_path / "store" / "auth.sqlite" and guard.path.exists()
    own = guard_for(Settings(data=str(tmp_path / "store"), auth_db=str(tmp_path / "x" / "a.sqlite")))
    assert own.path.exists()


def test_cli_hash_password_from_stdin():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "hash-password"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    hashed = done.stdout.strip()
    assert hashed.startswith("$argon2id$") and PasswordHasher().verify(hashed, PASSWORD)
    assert load_accounts(None, env={ENV_VAR: json.dumps({"planer": hashed})})["planer"] == hashed


def test_cli_hash_password_refuses_empty_input():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "hash-password"],
        input="\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Passwort ist leer" in done.stderr and "Traceback" not in done.stderr
