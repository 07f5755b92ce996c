"""Load test of participation: 100 simulated phones send contributions within one minute.

Every phone talks to ONE real Streamlit server the way a browser does: over the app's websocket
(`/_stcore/stream`) with Streamlit's own protobuf messages, so the server runs the real page
script (`pages/participate.py`) for each phone: open the page, tap the map (the map
component's value), then pick a category, write a text and press "Beitrag senden". Each phone
has its own device cookie. Rendering in a browser is left out on purpose: 100 Chromium tabs do
not fit on a 2-core machine, and the server-side work is the same.

At the end the store is checked: every accepted contribution is there once (none lost, none
duplicated), and the send latencies are reported.

    python bench/participation_load.py                 # 100 phones in 60 s, demo store in a temp dir
    python bench/participation_load.py --phones 20 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from harness import streamlit_server  # noqa: E402

from geo.demo import build_demo  # noqa: E402
from geo.participation.rounds import new_round  # noqa: E402
from geo.security.tokens import new_token  # noqa: E402
from geo.store import open_store  # noqa: E402

BBOX = (11.3, 51.65, 12.0, 52.05)
CATEGORIES = ("Coworking", "Mobilität", "Sonstiges")
THANKS = "Danke! Ihr Beitrag ist angekommen."
RUN_TIMEOUT_S = 120
# A forum server does not watch its source files; here that also keeps edits in the checkout
# during a run from reloading modules under load.
# The phones' device tokens are signed with the server's key, as the app server would issue them.
BENCH_KEY = secrets.token_urlsafe(48)
SERVER_ENV = {
    "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    "STREAMLIT_SERVER_RUN_ON_SAVE": "false",
    "SMART_REGION_SECRET_KEY": BENCH_KEY,
}


@dataclass
class Phone:
    index: int
    token: str = field(default_factory=lambda: new_token("device", time.time(), BENCH_KEY.encode()))
    text: str = ""
    outcome: str = "not started"
    send_s: float = float("nan")
    total_s: float = float("nan")


@dataclass
class Run:
    """What one script run sent back: widget ids by key, texts shown, the page's hash."""

    widgets: dict[str, str] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    page_hash: str = ""
    not_found: bool = False
    kinds: list[str] = field(default_factory=list)


def _collect(msg: ForwardMsg, run: Run) -> None:
    if msg.HasField("navigation"):
        run.page_hash = msg.navigation.page_script_hash
    run.not_found |= msg.HasField("page_not_found")
    run.kinds.append(msg.WhichOneof("type") or "")
    if not msg.HasField("delta") or not msg.delta.HasField("new_element"):
        return
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind in ("radio", "text_area", "button", "component_instance"):
        widget_id = getattr(element, kind).id
        key = "map" if kind == "component_instance" else widget_id.rsplit("-", 1)[-1]
        run.widgets[key] = widget_id
    elif kind == "alert":
        run.texts.append(element.alert.body)


async def _rerun(ws, query: str, page_hash: str, states: list[dict]) -> Run:
    """Send one rerun request (like a browser after a click) and read until the script finished."""
    back = BackMsg()
    state = back.rerun_script
    state.query_string = query
    state.page_name = "mitmachen"
    state.page_script_hash = page_hash
    state.context_info.timezone = "Europe/Berlin"
    state.context_info.locale = "de-DE"
    for item in states:
        widget = state.widget_states.widgets.add()
        widget.id = item.pop("id")
        for name, value in item.items():
            setattr(widget, name, value)
    await ws.send(back.SerializeToString())
    run = Run(page_hash=page_hash)
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await asyncio.wait_for(ws.recv(), RUN_TIMEOUT_S))
        _collect(msg, run)
        if msg.HasField("script_finished"):
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                run = Run(page_hash=run.page_hash)
                continue
            return run


async def _phone(phone: Phone, ws_url: str, round_id: str, delay: float) -> None:
    await asyncio.sleep(delay)
    start = time.monotonic()
    query = f"runde={round_id}"
    lon, lat = random.uniform(BBOX[0], BBOX[2]), random.uniform(BBOX[1], BBOX[3])
    phone.text = f"Telefon {phone.index}: Idee {secrets.token_hex(3)}"
    headers = {"Cookie": f"sr_device={phone.token}"}
    try:
        async with websockets.connect(
            ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None, open_timeout=90
        ) as ws:
            first = last = await _rerun(ws, query, "", [])
            click = {
                "id": first.widgets["map"],
                "json_value": json.dumps({"last_clicked": {"lat": lat, "lng": lon}}),
            }
            tapped = last = await _rerun(ws, query, first.page_hash, [dict(click)])
            sent_at = time.monotonic()
            done = await _rerun(
                ws,
                query,
                tapped.page_hash,
                [
                    dict(click),
                    {"id": tapped.widgets["part_category"], "string_value": random.choice(CATEGORIES)},
                    {"id": tapped.widgets["part_text"], "string_value": phone.text},
                    {"id": tapped.widgets["part_send"], "trigger_value": True},
                ],
            )
            phone.send_s = time.monotonic() - sent_at
    except KeyError as exc:
        phone.outcome = (
            f"failed: no widget {exc} on the page; {sorted(last.widgets)} {last.texts} {last.kinds}"
        )
        return
    except (OSError, TimeoutError, websockets.WebSocketException) as exc:
        phone.outcome = f"failed: {type(exc).__name__} {exc}"
        return
    phone.total_s = time.monotonic() - start
    phone.outcome = "ok" if THANKS in done.texts else f"no thanks; page showed {done.texts[1:]} {done.kinds}"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def _report(phones: list[Phone], store, round_id: str, wall_s: float) -> bool:
    stored = store.list_contributions(round_id, include_hidden=True)
    texts = [c.text for c in stored]
    ok = [p for p in phones if p.outcome == "ok"]
    lost = [p.index for p in ok if p.text not in texts]
    duplicated = sorted({t for t in texts if texts.count(t) > 1})
    unexpected = [t for t in texts if t not in {p.text for p in ok}]
    send = [p.send_s for p in ok]
    print(f"phones: {len(phones)}, sent within {wall_s:.1f} s wall time")
    print(f"accepted: {len(ok)}, stored: {len(stored)}, lost: {len(lost)}, duplicated: {len(duplicated)}")
    print(f"stored without an accepting answer: {len(unexpected)}")
    for phone in phones:
        if phone.outcome != "ok":
            print(f"  phone {phone.index}: {phone.outcome}")
    if send:
        print(
            f"send latency (click → page answered): median {statistics.median(send):.2f} s, "
            f"p95 {_percentile(send, 0.95):.2f} s, max {max(send):.2f} s"
        )
        total = [p.total_s for p in ok]
        print(
            f"whole visit (open, tap, send): median {statistics.median(total):.2f} s, max {max(total):.2f} s"
        )
    return len(ok) == len(phones) and not lost and not duplicated and not unexpected


async def _drive(ws_url: str, round_id: str, phones: list[Phone], seconds: float) -> float:
    start = time.monotonic()
    step = seconds / max(len(phones), 1)
    await asyncio.gather(*(_phone(p, ws_url, round_id, i * step) for i, p in enumerate(phones)))
    return time.monotonic() - start


async def _warm_up(ws_url: str, round_id: str) -> None:
    """Streamlit's first runs after a start can miss st.navigation's pages ("Page not found"),
    as for the first visitors of a freshly started server; the measured phones come after."""
    for attempt in range(5):
        phone = Phone(-1 - attempt)
        await _phone(phone, ws_url, round_id, 0)
        if phone.outcome == "ok":
            return
    raise RuntimeError(f"the server does not answer like the page expects: {phone.outcome}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0, help="phones start evenly within this time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        store = open_store(str(data))
        build_demo(store)
        now = datetime.now(UTC)
        warm, rnd = (
            # all phones share this machine's address and send at once: limits raised accordingly
            store.create_round(
                new_round(
                    question,
                    CATEGORIES,
                    BBOX,
                    now,
                    now + timedelta(hours=1),
                    address_limit=10_000,
                    burst_limit=10_000,
                )
            )
            for question in ("Aufwärmen", "Lasttest: Wo fehlt ein Coworking-Space?")
        )
        phones = [Phone(i) for i in range(args.phones)]
        with streamlit_server(data, env=SERVER_ENV) as url:
            ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
            asyncio.run(_warm_up(ws_url, warm.id))
            wall = asyncio.run(_drive(ws_url, rnd.id, phones, args.seconds))
        return 0 if _report(phones, store, rnd.id, wall) else 1


if __name__ == "__main__":
    raise SystemExit(main())
