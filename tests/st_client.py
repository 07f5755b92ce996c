"""A raw Streamlit client, no browser: what an attacker's script (or a load test) does.

`Visitor` loads a page over HTTP like a browser would (keeping the cookies the server sets)
and may send extra headers (``X-Forwarded-For``); `session` opens the app's websocket
(``/_stcore/stream``) with those cookies and speaks Streamlit's own protobuf messages, so the
server runs the real page scripts. A run's result lists the widgets (by key and by label) and
the texts the page showed, and the session id the server assigned.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

RUN_TIMEOUT_S = 120
TEXT_KINDS = ("alert", "markdown", "text", "heading", "html")


@dataclass
class Visitor:
    """One client: its cookies (from the server, or invented) and extra request headers."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)

    def load(self, path: str = "/") -> dict[str, str]:
        """GET a page (and the health check, which sets the XSRF cookie); keep what is set."""
        for target in (path, "/_stcore/health"):
            request = urllib.request.Request(self.url + target, headers=self.request_headers())
            with urllib.request.urlopen(request, timeout=30) as response:
                for value in response.headers.get_all("Set-Cookie") or []:
                    jar = SimpleCookie()
                    jar.load(value)
                    self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return self.cookies

    def request_headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**self.headers, **({"Cookie": cookie} if cookie else {})}


@dataclass
class Run:
    """What one script run sent back."""

    widgets: dict[str, str] = field(default_factory=dict)  # user key (or label) -> widget id
    texts: list[str] = field(default_factory=list)
    page_hash: str = ""
    session_id: str = ""
    not_found: bool = False
    exceptions: list[str] = field(default_factory=list)

    def shows(self, fragment: str) -> bool:
        return any(fragment in text for text in self.texts)


def _collect(msg: ForwardMsg, run: Run) -> None:
    if msg.HasField("new_session"):
        run.session_id = msg.new_session.initialize.session_id or run.session_id
    if msg.HasField("navigation"):
        run.page_hash = msg.navigation.page_script_hash
    run.not_found |= msg.HasField("page_not_found")
    if not msg.HasField("delta") or not msg.delta.HasField("new_element"):
        return
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind in TEXT_KINDS:
        run.texts.append(getattr(element, kind).body)
    elif kind == "exception":
        run.exceptions.append(element.exception.message)
    elif kind and hasattr(getattr(element, kind), "id") and getattr(element, kind).id:
        widget = getattr(element, kind)
        run.widgets[widget.id.rsplit("-", 1)[-1]] = widget.id
        if getattr(widget, "label", ""):
            run.widgets[widget.label] = widget.id
        if kind == "component_instance":
            run.widgets["map"] = widget.id


class Session:
    """An open websocket session; `rerun` sends what a browser sends after a click."""

    def __init__(self, ws) -> None:
        self.ws, self.page_hash, self.session_id = ws, "", ""

    async def rerun(self, query: str = "", page: str = "", states: list[dict] | None = None) -> Run:
        back = BackMsg()
        state = back.rerun_script
        state.query_string, state.page_name, state.page_script_hash = query, page, self.page_hash
        state.context_info.timezone, state.context_info.locale = "Europe/Berlin", "de-DE"
        for item in states or []:
            widget = state.widget_states.widgets.add()
            for name, value in item.items():
                setattr(widget, name, value)
        await self.ws.send(back.SerializeToString())
        return await self.finish()

    async def send(self, back: BackMsg) -> None:
        await self.ws.send(back.SerializeToString())

    async def finish(self) -> Run:
        """Read until the script run finished (skipping runs cut short by a rerun)."""
        run = Run(page_hash=self.page_hash, session_id=self.session_id)
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT_S))
            _collect(msg, run)
            self.page_hash, self.session_id = run.page_hash, run.session_id
            if msg.HasField("script_finished"):
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run = Run(page_hash=self.page_hash, session_id=self.session_id)
                    continue
                return run


@asynccontextmanager
async def session(visitor: Visitor, session_id: str | None = None):
    """A websocket session with the visitor's cookies and headers; `session_id` reconnects."""
    xsrf = visitor.cookies.get("_streamlit_xsrf", "x")
    protocols = ["streamlit", xsrf, *([session_id] if session_id else [])]
    ws_url = visitor.url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(
        ws_url,
        subprotocols=protocols,
        additional_headers=visitor.request_headers(),
        max_size=None,
        open_timeout=90,
    ) as ws:
        yield Session(ws)


def click(widget_id: str) -> dict:
    return {"id": widget_id, "trigger_value": True}


def text(widget_id: str, value: str) -> dict:
    return {"id": widget_id, "string_value": value}


def map_click(widget_id: str, lon: float, lat: float) -> dict:
    return {"id": widget_id, "json_value": json.dumps({"last_clicked": {"lat": lat, "lng": lon}})}
