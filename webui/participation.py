"""Participation glue for the pages: device token cookie, the round in the URL, styling, QR code.

Device identity ("+1 once per device", rate limit): a random token in the cookie ``sr_device``.
Streamlit offers no API to set cookies, but it hands the page the cookies of the websocket
handshake (`st.context.cookies`). So: a session uses the token from the cookie if there is
one; otherwise it makes a new random token and a tiny script (`st.html` with JavaScript,
server-made text only) stores it as a first-party cookie for a year. The store keeps only a
salted hash per round. Limits: clearing cookies or another browser counts as a new device.
"""

from __future__ import annotations

import html
import io
import secrets
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st

from geo import clock
from geo.errors import GeoError
from geo.maps.build import MapLayer, layer_groups
from geo.participation.rounds import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_MAX_AGE_S,
    Round,
    local_text,
    valid_device_token,
)
from webui.common import display_layer, get_store, lang, tr
from webui.forum import app_base_url

COOKIE = DEVICE_COOKIE
COOKIE_MAX_AGE_S = DEVICE_COOKIE_MAX_AGE_S

# Phones: big touch targets, readable text, no wasted space.
MOBILE_CSS = """
<style>
.block-container { padding-top: 1.2rem !important; padding-left: 0.8rem !important;
  padding-right: 0.8rem !important; max-width: 760px !important; }
.stApp .stMarkdown p, .stApp label p, .stApp .stText { font-size: 18px !important; }
.stButton button { min-height: 52px; min-width: 64px; }
.stButton button p { font-size: 19px !important; }
[data-testid="stRadio"] label { min-height: 44px; align-items: center; }
[data-testid="stRadio"] label p { font-size: 18px !important; }
.part-question { font-size: 26px; font-weight: 700; line-height: 1.25; margin: 0 0 0.2rem 0; }
.part-count { font-size: 15px; color: #333; }
</style>
"""

LIVE_CSS = """
<style>
.part-question { font-size: 46px; font-weight: 700; line-height: 1.15; margin: 0 0 0.4rem 0; color: #000; }
.part-table { font-size: 26px; border-collapse: collapse; width: 100%; }
.part-table td { padding: 0.15rem 0.4rem; border-bottom: 1px solid #999; vertical-align: top; color: #000;
  overflow-wrap: anywhere; }
.part-table td.n { text-align: right; font-weight: 700; white-space: nowrap; }
.part-dot { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%; margin-right: 0.3em;
  border: 1px solid #000; }
.part-total { font-size: 30px; font-weight: 700; color: #000; }
</style>
"""


def device_token() -> str:
    """This browser's random token: session, then cookie, else a new one (stored as a cookie)."""
    token = st.session_state.get("part_device")
    cookie = st.context.cookies.get(COOKIE)
    cookie = cookie if isinstance(cookie, str) else ""  # no handshake cookies in AppTest
    if not token:
        token = cookie if valid_device_token(cookie) else secrets.token_urlsafe(24)
        st.session_state["part_device"] = token
    if cookie != token:  # only our own token goes into the script: no user text
        st.html(
            "<script>if (!document.cookie.split('; ').some(c => c.startsWith('"
            + COOKIE
            + "='))) { document.cookie = '"
            + f"{COOKIE}={token}; max-age={COOKIE_MAX_AGE_S}; path=/; SameSite=Lax"
            + "'; }</script>",
            unsafe_allow_javascript=True,
            width="content",
        )
    return token


def current_round() -> Round | None:
    """The round named by ``?runde=``, else the newest open one; the page explains if none."""
    store = get_store()
    wanted = st.query_params.get("runde")
    if wanted:
        try:
            return store.get_round(wanted)
        except GeoError as err:
            st.error(err.message(lang()), icon=":material/error:")
            return None
    now = clock.now()
    rounds = store.list_rounds()
    open_rounds = [r for r in rounds if r.status(now) == "open"]
    chosen = open_rounds[0] if open_rounds else None
    if chosen is None:
        st.info(tr("ui.part.no_round"), icon=":material/info:")
    return chosen


def question_html(rnd: Round) -> str:
    """The question as an escaped heading (planner text is treated as untrusted too)."""
    return f'<p class="part-question" role="heading" aria-level="1">{html.escape(rnd.question)}</p>'


def participate_link(rnd: Round) -> str:
    """Full URL of the light phone page of `rnd` (`webui.phone`; for the QR code and to copy)."""
    base = app_base_url() or ""
    return f"{base}/m/{rnd.id}?{urlencode({'lang': lang()})}"


def local_only(link: str) -> bool:
    """True when the link points at this computer only (phones could not open it)."""
    host = urlsplit(link).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")


def qr_png(link: str, scale: int = 6) -> bytes:
    png = io.BytesIO()
    segno.make(link, error="m").save(png, kind="png", scale=scale, border=2)
    return png.getvalue()


def status_text(rnd: Round) -> str:
    """One line: open until …, starts at …, ended, closed."""
    status = rnd.status()
    times = {"start": local_text(rnd.start), "end": local_text(rnd.end)}
    return tr(f"ui.part.status_{status}", **times)


def context_groups(rnd: Round, language: str) -> list:
    """Municipality outlines inside the round's area, for orientation without basemap tiles."""
    munis = next((info for info in get_store().list_layers() if info.kind == "municipalities"), None)
    if munis is None:
        return []
    minx, miny, maxx, maxy = rnd.bbox
    frame = display_layer(munis).cx[minx:maxx, miny:maxy]
    return layer_groups([MapLayer(munis, frame)], language)
