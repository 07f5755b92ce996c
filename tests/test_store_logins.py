"""Contract of `LoginStore`: attempts are counted before the password is checked, atomically.

Runs against every backend in `conftest.BACKENDS`. Time is a parameter of the interface, so
these tests pass explicit instants; the sign-in policy on top is tested in test_auth.py.
"""

from __future__ import annotations

import multiprocessing
import threading

from fake_time import TEST_NOW

from geo.store import LockoutPolicy, LoginAttempt, open_store

POLICY = LockoutPolicy()
T = TEST_NOW.timestamp()


def _count(store, n: int, account: str = "planer", now: float = T) -> list[LoginAttempt]:
    return [store.count_login(account, POLICY, now) for _ in range(n)]


def test_attempts_are_numbered_and_the_last_allowed_one_sets_the_lock(store):
    attempts = _count(store, POLICY.max_failures)
    assert [a.number for a in attempts] == [1, 2, 3, 4, 5]
    assert all(a.allowed for a in attempts)
    assert [a.locked_until for a in attempts] == [0, 0, 0, 0, T + POLICY.lock_seconds]
    refused = store.count_login("planer", POLICY, T + 10)
    assert (refused.allowed, refused.number, refused.locked_until) == (False, 0, T + POLICY.lock_seconds)
    assert refused.locked_for(T + 10) == POLICY.lock_seconds - 10
    assert store.count_login("anna", POLICY, T + 10).number == 1  # other accounts are not affected


def test_a_lock_runs_out_and_old_attempts_are_forgotten(store):
    _count(store, POLICY.max_failures)
    after_lock = store.count_login("planer", POLICY, T + POLICY.lock_seconds + 1)
    assert (after_lock.allowed, after_lock.number, after_lock.locked_until) == (True, 1, 0)
    _count(store, 2, now=T + POLICY.lock_seconds + 2)
    later = T + POLICY.lock_seconds + 2 + POLICY.window_seconds + 1
    assert store.count_login("planer", POLICY, later).number == 1


def test_success_resets_the_count_and_even_the_lock_it_set_itself(store):
    *_, last = _count(store, POLICY.max_failures)
    assert last.locked_until  # the fifth attempt locks ... unless its password was right
    assert store.login_succeeded(last) is True
    again = store.count_login("planer", POLICY, T + 1)
    assert (again.allowed, again.number) == (True, 1)


def test_success_never_lowers_what_a_later_attempt_counted(store):
    """An attempt that started earlier and succeeds late must not undo a lock set meanwhile."""
    early = store.count_login("planer", POLICY, T)
    _count(store, POLICY.max_failures - 1)  # the attacker's attempts, the last one locks
    assert store.login_succeeded(early) is False
    assert not store.count_login("planer", POLICY, T + 1).allowed
    middle = _count(store, 2, account="anna")
    assert store.login_succeeded(middle[0]) is False
    assert store.count_login("anna", POLICY, T).number == 3


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
    assert len(results) == 40 and allowed == list(range(1, POLICY.max_failures + 1))


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
    assert sorted(n for n in numbers if n) == list(range(1, POLICY.max_failures + 1))
    assert numbers.count(0) == 4 * 6 - POLICY.max_failures
