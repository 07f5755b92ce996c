"""Participation glue for the pages: the round in the URL, the join code, styling, QR codes.

Device identity ("+1 once per device", rate limits) is the server-issued, signed token in the
``sr_device`` cookie (`geo.participation.devices`, set by the app server on the page load and
read with `webui.client.device`); the store keeps only a salted hash per round. A round that
requires its join code admits a device once it entered the code the projector shows.
"""

from __future__ import annotations

import contextlib
import hmac
import html
import io
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st

from geo import clock
from geo.errors import GeoError
from geo.maps.build import MapLayer, layer_groups
from geo.participation.rounds import Round
from webui.caches import shared
from webui.common import display_layer, error_md, get_store, lang, tr
from webui.forum import app_base_url

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
.part-code { font-size: 44px; font-weight: 800; letter-spacing: 0.12em; color: #000; margin: 0.2rem 0; }
</style>
"""


def join_form(rnd: Round, device: str) -> bool:
    """For a round that requires its join code: True once this device is admitted; else the code
    field (filled from the QR code's ``code`` parameter, which is tried once by itself)."""
    store = get_store()
    if store.admitted(rnd.id, device):
        return True
    from_link = st.query_params.get("code")
    if from_link and st.session_state.get("part_code_tried") != from_link:
        st.session_state["part_code_tried"] = from_link
        with contextlib.suppress(GeoError):  # a stale code from an old photo: the form says why
            store.join_round(rnd.id, device=device, code=from_link)
            return True
    st.info(tr("ui.part.join_help"), icon=":material/qr_code_scanner:")
    with st.form("part_join", border=True):
        code = st.text_input(tr("ui.part.join_code"), max_chars=12, key="part_code")
        if not st.form_submit_button(tr("ui.part.join_submit"), type="primary"):
            return False
    try:
        store.join_round(rnd.id, device=device, code=code)
    except GeoError as err:
        st.error(error_md(err))
        return False
    st.success(tr("ui.part.joined"))
    return True


def on_screen(rnd: Round) -> bool:
    """Whether this page is the round's projector: its link carries the round's screen key."""
    key = st.query_params.get("screen")
    return bool(key) and hmac.compare_digest(str(key), get_store().join_code(rnd.id).screen_key)


def known(device: str | None) -> str:
    """The device id for the store, or the refusal of a browser without a token from us."""
    if device is None:
        raise GeoError("err.part_no_device")
    return device


def current_round() -> Round | None:
    """The round named by ``?runde=``, else the newest open one; the page explains if none."""
    store = get_store()
    wanted = st.query_params.get("runde")
    if wanted:
        try:
            return store.get_round(wanted)
        except GeoError as err:
            st.error(error_md(err), icon=":material/error:")
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


def participate_link(rnd: Round, code: str = "") -> str:
    """Full URL of the light phone page of `rnd` (`webui.phone`; for the QR code and to copy),
    with the join code when the round requires one."""
    base = app_base_url() or ""
    params = {"lang": lang(), **({"code": code} if code else {})}
    return f"{base}/m/{rnd.id}?{urlencode(params)}"


def projector_link(rnd: Round, screen_key: str = "") -> str:
    """Full URL of the projector view; with the screen key it shows the join code."""
    base = app_base_url() or ""
    params = {"runde": rnd.id, "lang": lang(), **({"screen": screen_key} if screen_key else {})}
    return f"{base}/beteiligung-live?{urlencode(params)}"


def local_only(link: str) -> bool:
    """True when the link points at this computer only (phones could not open it)."""
    host = urlsplit(link).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")


@shared(max_entries=64)
def qr_png(link: str, scale: int = 6) -> bytes:
    png = io.BytesIO()
    segno.make(link, error="m").save(png, kind="png", scale=scale, border=2)
    return png.getvalue()


def status_text(rnd: Round) -> str:
    """One line: open until …, starts at …, ended, closed."""
    status = rnd.status()
    return tr(f"ui.part.status_{status}", start=rnd.start, end=rnd.end)


def context_groups(rnd: Round, language: str) -> list:
    """Municipality outlines inside the round's area, for orientation without basemap tiles."""
    munis = next((info for info in get_store().list_layers() if info.kind == "municipalities"), None)
    if munis is None:
        return []
    minx, miny, maxx, maxy = rnd.bbox
    frame = display_layer(munis).cx[minx:maxx, miny:maxy]
    return layer_groups([MapLayer(munis, frame)], language)
