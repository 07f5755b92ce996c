"""Contract of `LoginStore`: attempts are counted before the password is checked, atomically;
repeated attempts wait longer and longer, never a fixed lock; trusted browsers; the sign-in log.

Runs against every backend in `conftest.BACKENDS`. Time is a parameter of the interface, so
these tests pass explicit instants; the sign-in policy on top is tested in test_auth.py.
"""

from __future__ import annotations

import multiprocessing
import threading

from fake_time import TEST_NOW

from geo.store import LoginAttempt, LoginEvent, ThrottlePolicy, open_store

POLICY = ThrottlePolicy(free_attempts=5, base_delay=2.0, max_delay=60.0, window_seconds=3600.0)
T = TEST_NOW.timestamp()


def _count(store, n: int, account: str = "planer", now: float = T, source: str = "") -> list[LoginAttempt]:
    return [store.count_login(account, POLICY, now, source) for _ in range(n)]


def test_free_attempts_then_each_attempt_waits_longer(store):
    attempts = _count(store, POLICY.free_attempts)
    assert [a.number for a in attempts] == [1, 2, 3, 4, 5] and all(a.allowed for a in attempts)
    assert [a.blocked_until for a in attempts] == [0, 0, 0, 0, T + 2]
    refused = store.count_login("planer", POLICY, T + 1)
    assert (refused.allowed, refused.number, refused.retry_in(T + 1)) == (False, 0, 1)
    waits = []
    now = T + 2
    for _ in range(6):  # each allowed attempt doubles the wait, up to the policy's maximum
        attempt = store.count_login("planer", POLICY, now)
        waits.append(attempt.retry_in(now))
        now += waits[-1]
    assert waits == [4, 8, 16, 32, 60, 60]
    assert store.count_login("anna", POLICY, T).number == 1  # other accounts are not affected


def test_sources_of_one_account_count_apart(store):
    _count(store, POLICY.free_attempts, source="addr:203.0.113.9")
    assert not store.count_login("planer", POLICY, T, "addr:203.0.113.9").allowed
    assert store.count_login("planer", POLICY, T, "addr:198.51.100.1").number == 1
    assert store.count_login("planer", POLICY, T).number == 1  # the account-wide counter
    assert store.count_login("", POLICY, T, "addr:203.0.113.9").number == 1  # the address-wide one


def test_a_run_is_forgotten_after_the_window(store):
    _count(store, POLICY.free_attempts + 1)
    later = T + POLICY.window_seconds + 10
    again = store.count_login("planer", POLICY, later)
    assert (again.allowed, again.number, again.blocked_until) == (True, 1, 0)


def test_success_ends_the_run_and_the_wait_it_set_itself(store):
    *_, last = _count(store, POLICY.free_attempts)
    assert last.blocked_until  # the fifth attempt sets a wait ... unless its password was right
    assert store.login_succeeded(last) is True
    again = store.count_login("planer", POLICY, T + 1)
    assert (again.allowed, again.number) == (True, 1)


def test_success_never_lowers_what_a_later_attempt_counted(store):
    """An attempt that started earlier and succeeds late must not undo a wait set meanwhile."""
    early = store.count_login("planer", POLICY, T)
    _count(store, POLICY.free_attempts - 1)  # the attacker's attempts, the last one sets a wait
    assert store.login_succeeded(early) is False
    assert not store.count_login("planer", POLICY, T + 1).allowed
    middle = _count(store, 2, account="anna")
    assert store.login_succeeded(middle[0]) is False
    assert store.count_login("anna", POLICY, T).number == 3


def test_unlock_clears_every_counter_of_the_account(store):
    _count(store, POLICY.free_attempts + 1)
    _count(store, POLICY.free_attempts + 1, source="addr:203.0.113.9")
    _count(store, POLICY.free_attempts + 1, account="anna")
    assert store.unlock("planer") == 2
    assert store.count_login("planer", POLICY, T).allowed
    assert store.count_login("planer", POLICY, T, "addr:203.0.113.9").allowed
    assert not store.count_login("anna", POLICY, T).allowed
    assert store.unlock("niemand") == 0


def test_trusted_devices_are_remembered_until_they_expire(store):
    assert not store.is_trusted_device("planer", "browser-1", T)
    store.trust_device("planer", "browser-1", T + 100)
    assert store.is_trusted_device("planer", "browser-1", T + 99)
    assert not store.is_trusted_device("planer", "browser-1", T + 100)
    assert not store.is_trusted_device("anna", "browser-1", T) and not store.is_trusted_device(
        "planer", "b2", T
    )


def test_sign_in_log_keeps_recent_events_newest_first(store):
    tried = [("planer", "wrong"), ("Planer", "throttled"), ("anna", "ok"), ("planer", "ok")]
    events = [LoginEvent(T + i, name, "203.0.113.9", outcome) for i, (name, outcome) in enumerate(tried)]
    for event in events:
        store.record_login(event, keep_seconds=3600)
    assert store.login_events() == events[::-1]
    assert [e.outcome for e in store.login_events(account="PLANER")] == ["ok", "throttled", "wrong"]
    assert store.login_events(since=T + 2, limit=1) == [events[3]]
    store.record_login(LoginEvent(T + 7200, "x", "", "wrong", "late"), keep_seconds=3600)
    assert [e.detail for e in store.login_events()] == ["late"]  # older ones were dropped


def _count_in_thread(store, results: list, start: threading.Barrier, n: int) -> None:
    start.wait()
    results.extend(store.count_login("planer", POLICY, T) for _ in range(n))


def test_threads_counting_at_once_get_exactly_the_allowed_attempts(store):
    results: list[LoginAttempt] = []
    start = threading.Barrier(8)
    threads = [threading.Thread(target=_count_in_thread, args=(store, results, start, 5)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    allowed = sorted(a.number for a in results if a.allowed)
    assert len(results) == 40 and allowed == list(range(1, POLICY.free_attempts + 1))


def _count_in_process(location: str, start, queue, n: int) -> None:
    store = open_store(location)
    start.wait()
    queue.put([store.count_login("planer", POLICY, T).number for _ in range(n)])


def test_processes_counting_at_once_get_exactly_the_allowed_attempts(store):
    ctx = multiprocessing.get_context("spawn")
    start, queue = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_count_in_process, args=(store.location, start, queue, 6)) for _ in range(4)]
    for proc in procs:
        proc.start()
    numbers = [n for _ in procs for n in queue.get(timeout=120)]
    for proc in procs:
        proc.join(timeout=60)
    assert sorted(n for n in numbers if n) == list(range(1, POLICY.free_attempts + 1))
    assert numbers.count(0) == 4 * 6 - POLICY.free_attempts
