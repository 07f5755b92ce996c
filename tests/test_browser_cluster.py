"""Two app replicas behind nginx on one PostGIS store (what ``make cluster`` starts): Streamlit
sessions get a replica by cookie, the phone API works through any replica and keeps working,
without a lost or doubled idea, when one replica is killed."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from rounds_fixture import BBOX, CATS, T0

from geo.participation.rounds import new_round
from geo.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.dated]


def _post(url: str, body: dict, cookie: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=60) as r:
        return r.status, json.loads(r.read())


def test_replicas_behind_nginx_share_the_store_and_survive_a_kill(postgres):
    from ops.cluster import AppCluster
    from ops.pgcluster import free_port

    if shutil.which("nginx") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the replica test: apt-get install nginx")
        pytest.skip("no nginx (apt-get install nginx)")
    url = postgres.create_database("cluster_test")
    root = Path(tempfile.mkdtemp(prefix="smart-region-cluster-"))
    os.chmod(root, 0o755)  # PostgreSQL is not started here, but nginx workers run as another user
    cluster = AppCluster(root, 2, free_port(), store=url).start()
    try:
        store = open_store(url)
        rnd = store.create_round(new_round("Wo?", CATS, BBOX, T0, T0 + timedelta(hours=2), rate_limit=50))
        with urllib.request.urlopen(cluster.url + "/", timeout=60) as r:
            assert "sr_replica=" in r.headers["Set-Cookie"]  # the session's replica, by cookie
        api = f"{cluster.url}/api/rounds/{rnd.id}/contributions"
        idea = {"lon": 11.7, "lat": 51.8, "category": CATS[0]}
        ids = []
        for n in range(12):
            if n == 6:
                cluster.kill_replica(0)  # nginx retries on the other replica
            status, body = _post(
                api, {**idea, "text": f"Idee {n}", "request_id": f"r{n}"}, f"sr_device=p{n:022d}"
            )
            assert status == 201, body
            ids.append(body["id"])
        assert len(set(ids)) == 12
        texts = [c.text for c in store.list_contributions(rnd.id)]
        assert sorted(texts) == sorted(f"Idee {n}" for n in range(12))
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
        postgres.drop_database("cluster_test")
