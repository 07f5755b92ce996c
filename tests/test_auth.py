"""Planner accounts: argon2id hashes from env/secrets, verification, throttling, the log.

Issue 15, findings 1 and 2: parallel attempts get no more password checks than allowed, and
nobody can lock a planner out; counters per account and address, per address, per account,
trusted browsers, `unlock`. The counters are the store's (`LoginStore`), so these tests run
against every backend through the `store` fixture, at a fixed, movable instant.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from accounts import quick_hash
from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import VerifyMismatchError
from cli_runner import run_geo
from fake_time import TEST_NOW

from geo.auth import (
    ENV_VAR,
    AuthError,
    Client,
    SignInPolicy,
    _dummy_hash,
    authenticate,
    hash_password,
    load_accounts,
    unlock,
)
from geo.clock import FixedClock, use_clock
from geo.config import Settings
from geo.store import open_store

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "Salzland-Planung-2025"


@pytest.fixture(scope="module")
def accounts() -> dict[str, str]:
    return {"planer": quick_hash(PASSWORD), "anna.schmidt": quick_hash("anderes Passwort")}


OFFICE = Client("198.51.100.20")  # the planner's office, a browser that never signed in before


class Attempts:
    """Signs in against one store at a fixed, movable instant."""

    def __init__(self, store, clock: FixedClock) -> None:
        self.store, self.clock = store, clock

    def __call__(self, user: str, password: str, accounts: dict[str, str], client: Client = OFFICE) -> str:
        return authenticate(user, password, accounts, self.store, client)


@pytest.fixture
def sign_in(store):
    with use_clock(FixedClock(TEST_NOW)) as fixed:
        yield Attempts(store, fixed)


def refused(sign_in, key: str, *args) -> AuthError:
    with pytest.raises(AuthError) as exc:
        sign_in(*args)
    assert exc.value.key == key, exc.value.key
    return exc.value


def test_hash_is_argon2id_and_verifies():
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert PasswordHasher().verify(hashed, PASSWORD)
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(hashed, PASSWORD + "x")
    assert hash_password(PASSWORD) != hashed  # salted


def test_unknown_names_cost_a_check_with_the_accounts_parameters(accounts):
    """An unknown name is checked against a hash made like the accounts' (here: the tests'
    cheap ones), so its refusal takes as long as a known name's; without accounts, like
    `hash_password`'s."""
    assert extract_parameters(_dummy_hash(accounts)) == extract_parameters(accounts["planer"])
    assert extract_parameters(_dummy_hash({})) == extract_parameters(hash_password(PASSWORD))
    assert extract_parameters(_dummy_hash({"x": "$argon2-broken"})) == extract_parameters(
        hash_password(PASSWORD)
    )


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


def test_right_password_signs_in_and_is_logged(accounts, sign_in, store):
    assert sign_in(" planer ", PASSWORD, accounts) == "planer"
    assert [(e.account, e.address, e.outcome) for e in store.login_events()] == [
        ("planer", OFFICE.address, "ok")
    ]


@pytest.mark.parametrize(("user", "password"), [("planer", "falsch"), ("niemand", PASSWORD), ("planer", "")])
def test_wrong_password_or_unknown_user_is_refused_alike(accounts, sign_in, user, password):
    err = refused(sign_in, "err.auth_failed", user, password, accounts)
    assert "falsch" in err.message("de") and "wrong" in err.message("en")


def test_failures_make_the_next_attempt_wait_longer_not_lock(accounts, sign_in, store):
    pair = SignInPolicy().pair
    for _ in range(pair.free_attempts):
        refused(sign_in, "err.auth_failed", "planer", "falsch", accounts)
    err = refused(sign_in, "err.auth_throttled", "planer", PASSWORD, accounts)  # too early: no check
    assert err.params["seconds"] == pair.base_delay
    sign_in.clock.advance(pair.base_delay)
    refused(sign_in, "err.auth_failed", "planer", "falsch", accounts)
    assert refused(sign_in, "err.auth_throttled", "planer", PASSWORD, accounts).params["seconds"] == 4
    sign_in.clock.advance(4)
    assert sign_in("planer", PASSWORD, accounts) == "planer"  # waited: the right password counts
    outcomes = [e.outcome for e in store.login_events()][::-1]
    assert outcomes == ["wrong"] * 5 + ["throttled", "wrong", "throttled", "ok"]


def test_success_resets_the_wait_and_old_failures_expire(accounts, sign_in):
    pair = SignInPolicy().pair
    for _ in range(pair.free_attempts - 1):
        refused(sign_in, "err.auth_failed", "planer", "falsch", accounts)
    sign_in("planer", PASSWORD, accounts)
    for _ in range(pair.free_attempts - 1):  # counted from one again
        refused(sign_in, "err.auth_failed", "planer", "falsch", accounts)
    sign_in.clock.advance(pair.window_seconds + 1)
    for _ in range(pair.free_attempts - 1):  # forgotten after the window
        refused(sign_in, "err.auth_failed", "planer", "falsch", accounts)


def test_a_known_name_cannot_be_locked_for_the_planner(accounts, sign_in):
    """Finding 2: an attacker's wrong guesses from one address do not keep the planner out."""
    attacker = Client("203.0.113.66")
    for _ in range(40):  # at one instant: five are checked, the rest refused without a check
        with contextlib.suppress(AuthError):
            sign_in("planer", "rate-mal", accounts, attacker)
    refused(sign_in, "err.auth_throttled", "planer", PASSWORD, accounts, attacker)
    assert sign_in("planer", PASSWORD, accounts, OFFICE) == "planer"  # from elsewhere: at once


def test_one_address_guessing_many_names_is_slowed_down(accounts, sign_in):
    attacker, rule = Client("203.0.113.66"), SignInPolicy().address
    for i in range(rule.free_attempts):
        refused(sign_in, "err.auth_failed", f"name{i}", "rate-mal", accounts, attacker)
    refused(sign_in, "err.auth_throttled", "anna.schmidt", "anderes Passwort", accounts, attacker)
    assert sign_in("anna.schmidt", "anderes Passwort", accounts) == "anna.schmidt"  # others not


def test_many_addresses_slow_the_account_down_but_not_a_trusted_browser(accounts, sign_in, store):
    home = Client("198.51.100.20", device="browser-of-the-planer")
    assert sign_in("planer", PASSWORD, accounts, home) == "planer"  # this browser becomes trusted
    rule = SignInPolicy().account
    for i in range(rule.free_attempts - 1):  # a botnet: one guess from each of many addresses
        # (with the planner's own first sign-in, which counted too, the account has its free ones)
        refused(sign_in, "err.auth_failed", "planer", "rate-mal", accounts, Client(f"203.0.113.{i}"))
    refused(sign_in, "err.auth_throttled", "planer", PASSWORD, accounts, Client("192.0.2.1"))
    assert sign_in("planer", PASSWORD, accounts, home) == "planer"  # the trusted browser gets in
    other = Client("192.0.2.1", device="a-stolen-name-but-another-browser")
    refused(sign_in, "err.auth_throttled", "planer", PASSWORD, accounts, other)
    assert unlock(store, " Planer ") >= 1  # the operator lifts the account-wide wait
    assert sign_in("planer", PASSWORD, accounts, other) == "planer"


def test_lockout_holds_across_processes(store, accounts):
    """Failures counted by another process (another server) slow down here, too."""
    script = (
        "import sys; from datetime import datetime; from geo.auth import AuthError, Client, authenticate\n"
        "from geo.clock import FixedClock, use_clock; from geo.store import open_store\n"
        "store = open_store(sys.argv[1])\n"
        "with use_clock(FixedClock(datetime.fromisoformat(sys.argv[2]))):\n"
        "    for _ in range(5):\n"
        "        try: authenticate('Planer', 'falsch', {}, store, Client('198.51.100.20'))\n"
        "        except AuthError: pass\n"
    )
    # the other process fails at TEST_NOW, the check here comes a second later: however long
    # the machine took in between (under load the 2 s wait once ran out before the check)
    args = [store.location, TEST_NOW.isoformat()]
    subprocess.run([sys.executable, "-c", script, *args], cwd=REPO, check=True, timeout=60)
    with use_clock(FixedClock(TEST_NOW + timedelta(seconds=1))), pytest.raises(AuthError) as exc:
        authenticate("planer", PASSWORD, accounts, store, OFFICE)  # names compare case-insensitively
    assert exc.value.key == "err.auth_throttled"


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
            authenticate("planer", f"rate-{i}", accounts, store, Client("203.0.113.66"))


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
    with use_clock(FixedClock(TEST_NOW)):  # all at one instant: no wait runs out meanwhile
        _attack_threads(store, accounts, 4, 4)
    queue.put(len(accounts.checks))


def test_parallel_attackers_get_no_more_password_checks_than_allowed(store, accounts):
    """Finding 1: eight threads, four attempts each, all at once: five checks, then waits."""
    counter = CheckCounter(accounts)
    with use_clock(FixedClock(TEST_NOW)):
        _attack_threads(store, counter, 8, 4)
    assert len(counter.checks) == SignInPolicy().pair.free_attempts


def test_parallel_attacking_processes_get_no_more_password_checks_than_allowed(store, accounts):
    """Finding 1: three server processes with four sessions each, all at once: five checks."""
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
    assert sum(checks) == SignInPolicy().pair.free_attempts, checks


def test_cli_hash_password_from_stdin():
    done = run_geo("hash-password", stdin=PASSWORD + "\n", process=True)
    assert done.returncode == 0, done.stderr
    hashed = done.stdout.strip()
    assert hashed.startswith("$argon2id$") and PasswordHasher().verify(hashed, PASSWORD)
    assert load_accounts(None, env={ENV_VAR: json.dumps({"planer": hashed})})["planer"] == hashed


def test_cli_hash_password_refuses_empty_input():
    done = run_geo("hash-password", stdin="\n")
    assert done.returncode == 2
    assert "Passwort ist leer" in done.stderr and "Traceback" not in done.stderr


def test_cli_hash_password_refuses_short_passwords():
    done = run_geo("hash-password", stdin="abc\n")
    assert done.returncode == 2 and not done.stdout
    assert "nur 3 Zeichen" in done.stderr and "mindestens 12" in done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(AuthError) as exc:
        hash_password("elf Zeichen")  # 11
    assert exc.value.key == "err.auth_short_password"
    assert hash_password("zwölf Zeichen")  # 13


def test_cli_unlock_clears_the_waits_and_logins_lists_attempts(store, accounts):
    with use_clock(FixedClock(TEST_NOW)):
        for _ in range(SignInPolicy().pair.free_attempts):
            with contextlib.suppress(AuthError):
                authenticate("planer", "falsch", accounts, store, OFFICE)
        with pytest.raises(AuthError, match="warten"):
            authenticate("planer", PASSWORD, accounts, store, OFFICE)
    done = run_geo("unlock", "Planer", "--data", store.location)
    assert done.returncode == 0 and "2 Anmelde-Zähler" in done.stdout, done.stderr
    with use_clock(FixedClock(TEST_NOW)):
        assert authenticate("planer", PASSWORD, accounts, store, OFFICE) == "planer"
    listed = run_geo("logins", "--account", "planer", "--data", store.location)
    lines = listed.stdout.splitlines()
    assert listed.returncode == 0 and len(lines) == 7 and "\tok\tplaner\t198.51.100.20" in lines[0]
    bad = run_geo("unlock", " ", "--data", store.location)
    assert bad.returncode == 2 and "Namen des Kontos" in bad.stderr and "Traceback" not in bad.stderr
