"""Planner accounts: argon2id hashes from env/secrets, verification, slow-down and lockout.

The wrong-password counter is the store's (`LoginStore`), so these tests run against every
backend through the `store` fixture; the clock is fixed and the delays are only recorded.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from fake_time import TEST_NOW

from geo.auth import ENV_VAR, AuthError, LockoutPolicy, authenticate, hash_password, load_accounts
from geo.clock import FixedClock, use_clock
from geo.config import Settings
from geo.store import open_store

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "Salzland-Planung-2025"


@pytest.fixture(scope="module")
def accounts() -> dict[str, str]:
    return {"planer": hash_password(PASSWORD), "anna.schmidt": hash_password("anderes Passwort")}


class Attempts:
    """Signs in against one store at a fixed, movable instant; delays are recorded, not waited."""

    def __init__(self, store, clock: FixedClock) -> None:
        self.store, self.clock = store, clock
        self.slept: list[float] = []

    def __call__(self, user: str, password: str, accounts: dict[str, str]) -> str:
        return authenticate(user, password, accounts, self.store, sleep=self.slept.append)


@pytest.fixture
def sign_in(store):
    with use_clock(FixedClock(TEST_NOW)) as fixed:
        yield Attempts(store, fixed)


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


def test_right_password_signs_in(accounts, sign_in):
    assert sign_in(" planer ", PASSWORD, accounts) == "planer"
    assert sign_in.slept == []


@pytest.mark.parametrize(("user", "password"), [("planer", "falsch"), ("niemand", PASSWORD), ("planer", "")])
def test_wrong_password_or_unknown_user_is_refused_alike(accounts, sign_in, user, password):
    with pytest.raises(AuthError) as exc:
        sign_in(user, password, accounts)
    assert exc.value.key == "err.auth_failed"
    assert "falsch" in exc.value.message("de") and "wrong" in exc.value.message("en")


def test_failures_slow_down_then_lock_even_the_right_password(accounts, sign_in):
    for _ in range(4):
        with pytest.raises(AuthError, match="falsch"):
            sign_in("planer", "falsch", accounts)
    assert sign_in.slept == [0.5, 1.0, 2.0, 4.0]  # growing delay per failure
    with pytest.raises(AuthError) as exc:
        sign_in("planer", "falsch", accounts)
    assert exc.value.key == "err.auth_locked"
    with pytest.raises(AuthError) as exc:
        sign_in("planer", PASSWORD, accounts)
    assert exc.value.key == "err.auth_locked" and exc.value.params["minutes"] == 5
    assert len(sign_in.slept) == 5  # the locked attempt was refused at once, without a check
    # the other account is not affected
    assert sign_in("anna.schmidt", "anderes Passwort", accounts) == "anna.schmidt"
    sign_in.clock.advance(LockoutPolicy().lock_seconds + 1)
    assert sign_in("planer", PASSWORD, accounts) == "planer"


def test_success_resets_the_count_and_old_failures_expire(accounts, sign_in):
    for _ in range(4):
        with pytest.raises(AuthError):
            sign_in("planer", "falsch", accounts)
    sign_in("planer", PASSWORD, accounts)
    with pytest.raises(AuthError) as exc:
        sign_in("planer", "falsch", accounts)
    assert exc.value.key == "err.auth_failed" and sign_in.slept[-1] == 0.5
    sign_in.clock.advance(LockoutPolicy().window_seconds + 1)
    with pytest.raises(AuthError):
        sign_in("planer", "falsch", accounts)
    assert sign_in.slept[-1] == 0.5  # counted from one again


def test_right_password_at_the_fifth_attempt_signs_in_unlocked(accounts, sign_in):
    for _ in range(4):
        with pytest.raises(AuthError):
            sign_in("planer", "falsch", accounts)
    assert sign_in("planer", PASSWORD, accounts) == "planer"
    with pytest.raises(AuthError) as exc:
        sign_in("planer", "falsch", accounts)
    assert exc.value.key == "err.auth_failed"


def test_lockout_holds_across_processes(store, accounts):
    """Failures counted by another process (another Streamlit server) lock here, too."""
    script = (
        "import sys; from geo.auth import AuthError, authenticate; from geo.store import open_store\n"
        "store = open_store(sys.argv[1])\n"
        "for _ in range(5):\n"
        "    try: authenticate('Planer', 'falsch', {}, store, sleep=lambda s: None)\n"
        "    except AuthError: pass\n"
    )
    subprocess.run([sys.executable, "-c", script, store.location], cwd=REPO, check=True, timeout=60)
    with pytest.raises(AuthError) as exc:  # account names compare case-insensitively
        authenticate("planer", PASSWORD, accounts, store, sleep=lambda s: None)
    assert exc.value.key == "err.auth_locked"


def test_no_separate_login_database_is_configured():
    assert not any("AUTH" in name for name, _ in Settings.describe())


class CheckCounter(dict):
    """Accounts that count how often a password is looked up, i.e. checked."""

    def __init__(self, accounts: dict[str, str]) -> None:
        super().__init__(accounts)
        self.checks: list[str] = []

    def get(self, key, default=None):
        self.checks.append(key)  # list.append is atomic: safe from many threads
        return super().get(key, default)


def _attack(store, accounts: CheckCounter, start, attempts: int) -> None:
    start.wait()
    for i in range(attempts):
        with contextlib.suppress(AuthError):
            authenticate("planer", f"rate-{i}", accounts, store, sleep=lambda s: None)


def _attack_threads(store, accounts: CheckCounter, threads: int, attempts: int) -> None:
    start = threading.Barrier(threads)
    workers = [
        threading.Thread(target=_attack, args=(store, accounts, start, attempts)) for _ in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def _attack_process(location: str, hashes: dict[str, str], start, queue) -> None:
    accounts, store = CheckCounter(hashes), open_store(location)
    start.wait()  # every process ready, then each starts its sessions at once
    _attack_threads(store, accounts, 4, 4)
    queue.put(len(accounts.checks))


def test_parallel_attackers_get_no_more_password_checks_than_allowed(store, accounts):
    """Eight threads, four attempts each, all at once: five checks, then the lock."""
    counter = CheckCounter(accounts)
    _attack_threads(store, counter, 8, 4)
    assert len(counter.checks) == LockoutPolicy().max_failures


def test_parallel_attacking_processes_get_no_more_password_checks_than_allowed(store, accounts):
    """Three server processes with four sessions each, all at once: five checks in all."""
    ctx = multiprocessing.get_context("spawn")
    start, queue = ctx.Barrier(3), ctx.Queue()
    procs = [
        ctx.Process(target=_attack_process, args=(store.location, accounts, start, queue)) for _ in range(3)
    ]
    for proc in procs:
        proc.start()
    checks = [queue.get(timeout=180) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert sum(checks) == LockoutPolicy().max_failures, checks


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


def test_cli_hash_password_refuses_short_passwords():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "hash-password"],
        input="abc\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2 and not done.stdout
    assert "nur 3 Zeichen" in done.stderr and "mindestens 12" in done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(AuthError) as exc:
        hash_password("elf Zeichen")  # 11
    assert exc.value.key == "err.auth_short_password"
    assert hash_password("zwölf Zeichen")  # 13
