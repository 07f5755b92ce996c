"""Planner accounts for tests: real argon2id hashes, made with the cheapest parameters.

The app verifies a hash with the parameters written in it, and checks unknown names against a
hash with the accounts' parameters, so tests that sign in many times do not pay 64 MiB and
three passes per attempt. `test_auth` checks that `hash_password` itself uses the defaults.
"""

from __future__ import annotations

from argon2 import PasswordHasher

_QUICK = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def quick_hash(password: str) -> str:
    return _QUICK.hash(password)
