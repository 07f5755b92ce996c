"""Contract of `DocumentStore`: small JSON documents, versioned, never lost, audited.

Runs against every backend in `conftest.BACKENDS` through the `store` fixture.
"""

from __future__ import annotations

import threading

import pytest

from geo.errors import GeoError


def test_documents_round_trip_with_versions_and_tombstones(store):
    assert store.get_document("tour", "forum") is None and store.list_documents("tour") == []
    assert store.put_document("tour", "forum", {"titel": "Rundgang", "n": [1, 2]}, author="anna") == 1
    assert store.put_document("tour", "forum", {"titel": "Kürzer"}, author="ben") == 2
    assert store.put_document("tour", "zweite", {"x": "ä"}) == 1
    assert store.get_document("tour", "forum") == {"titel": "Kürzer"}
    assert store.list_documents("tour") == ["forum", "zweite"]
    assert store.list_documents("other") == []

    assert store.put_document("tour", "zweite", None, author="carla") == 2  # deleted: a tombstone
    assert store.get_document("tour", "zweite") is None
    assert store.list_documents("tour") == ["forum"]
    history = store.document_history("tour", "zweite")
    assert [(v, author, data) for v, _, author, data in history] == [
        (1, "system", {"x": "ä"}),
        (2, "carla", None),
    ]
    actions = [(e.action, e.layer_id, e.user) for e in store.audit_log(2)]
    assert actions == [("document-delete", "tour/zweite", "carla"), ("document", "tour/zweite", "system")]


@pytest.mark.parametrize(
    ("kind", "name"), [("tour", "../x"), ("../tour", "x"), ("tour", "A B"), ("tour", "")]
)
def test_document_names_are_checked(store, kind, name):
    for call in (
        lambda: store.put_document(kind, name, {}),
        lambda: store.get_document(kind, name),
        lambda: store.claim_document(kind, name, {}),
    ):
        with pytest.raises(GeoError) as err:
            call()
        assert err.value.key == "err.document_name"
    assert store.audit_log() == []


def test_claim_succeeds_once_even_when_threads_race(store):
    winners: list[bool] = []
    start = threading.Barrier(6)

    def claim(n: int) -> None:
        start.wait()
        winners.append(store.claim_document("system", "demo", {"by": n}))

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(winners) == [False] * 5 + [True]
    assert store.get_document("system", "demo")["by"] in range(6)
    store.put_document("system", "demo", None)
    assert store.claim_document("system", "demo", {"by": "again"}) is False  # it has existed
