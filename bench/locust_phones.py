"""Locust users for the phone path: each user is one phone at a forum, doing what a citizen does once.

Load the page (HTML, Leaflet, script; first load, no cache), send one idea, load the list,
give one "+1", then idle. Sends are retried with the same request id on connection errors
and 5xx, as the page's own script does, so a killed replica costs time, not ideas. Every
phone's outcome (status, attempts, latency as the user sees it, including retries) goes to
the JSON file named by ``PHONES_OUT``; `bench/cluster_load.py` starts this file with
``locust --headless`` and checks the store afterwards. Round id: ``PHONES_ROUND``.
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid

import gevent
from locust import HttpUser, constant, events, task

ROUND = os.environ.get("PHONES_ROUND", "")
OUT = os.environ.get("PHONES_OUT", "phones.json")
EXPECTED = int(os.environ.get("PHONES_COUNT", "1000000"))
ATTEMPTS = 8
RESULTS: list[dict] = []


class Phone(HttpUser):
    wait_time = constant(0)

    def _post(self, path: str, body: dict, name: str) -> tuple[int, dict, float, int]:
        """POST with retries on errors/5xx; (status, json, seconds including retries, attempts)."""
        start, status, data = time.perf_counter(), 0, {}
        for attempt in range(1, ATTEMPTS + 1):
            with self.client.post(path, json=body, name=name, catch_response=True) as r:
                status = r.status_code
                if status and status < 500:
                    data = r.json() if r.text else {}
                    r.success()  # refusals (4xx) are answers; the phone shows them
                    return status, data, time.perf_counter() - start, attempt
                r.failure(f"{status}: retry")
            gevent.sleep(min(4.0, 0.25 * 2**attempt))
        return status, data, time.perf_counter() - start, ATTEMPTS

    done = False

    @task
    def one_phone(self) -> None:
        if self.done:  # a phone sends once; it idles until every phone is done (no respawned users)
            gevent.sleep(1)
            return
        api = f"/api/rounds/{ROUND}/contributions"
        for path in (
            f"/m/{ROUND}?basemap=none",
            "/m/assets/leaflet.js",
            "/m/assets/leaflet.css",
            "/m/assets/phone.js",
        ):
            self.client.get(path, name=path.split("?")[0] if "assets" in path else "/m/[round]")
        idea = {"lon": random.uniform(11.4, 12.0), "lat": random.uniform(51.7, 52.0), "category": "Coworking",
                "text": f"Idee {uuid.uuid4().hex[:8]}", "request_id": uuid.uuid4().hex}  # fmt: skip
        sent = self._post(api, idea, "POST idea")
        listing = self.client.get(api, name="GET list")
        items = listing.json().get("items", []) if listing.status_code == 200 else []
        target = random.choice(items)["id"] if items else sent[1].get("id", 0)
        plus = self._post(f"{api}/{target}/support", {}, "POST +1")
        RESULTS.append({
            "request_id": idea["request_id"], "idea_status": sent[0], "idea_s": sent[2],
            "idea_attempts": sent[3], "plus_status": plus[0], "plus_s": plus[2], "plus_attempts": plus[3],
            "plus_code": plus[1].get("code", ""),
        })  # fmt: skip
        if len(RESULTS) >= EXPECTED:  # every phone is done: end the run now, not at --run-time
            gevent.spawn_later(0.1, self.environment.runner.quit)
        self.done = True


@events.quitting.add_listener
def _write(environment, **_kwargs) -> None:
    with open(OUT, "w") as f:
        json.dump(RESULTS, f)
