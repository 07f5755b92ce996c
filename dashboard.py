"""Smart-Region Geodata Dashboard: page config, shared sidebar, navigation, error boundary."""

from __future__ import annotations

import logging
from datetime import datetime

import streamlit as st

from geo.assets import install_static_assets
from geo.demo import ensure_demo
from geo.errors import GeoError
from geo.i18n import LANGUAGES
from webui.auth import planner_pages
from webui.common import get_store, lang, tr

log = logging.getLogger("smart_region")

st.set_page_config(page_title=tr("ui.app_title"), page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner=False)
def _prepare_once() -> None:
    """Serve the map assets and build the demo store on first start."""
    install_static_assets()
    ensure_demo(get_store())


def _language_switch() -> None:
    current = lang()
    choice = st.sidebar.selectbox(
        tr("ui.language"),
        LANGUAGES,
        index=LANGUAGES.index(current),
        format_func=lambda code: {"de": "Deutsch", "en": "English"}[code],
        key="lang_select",
    )
    if choice != current:
        st.query_params["lang"] = choice
        st.rerun()


_prepare_once()
_language_switch()
pages = [
    st.Page("pages/map_view.py", title=tr("ui.map"), icon=":material/map:", default=True),
    st.Page(
        "pages/events.py", title=tr("ui.events.title"), icon=":material/event:", url_path="veranstaltungen"
    ),
    st.Page("pages/forum.py", title=tr("ui.forum.title"), icon=":material/co_present:", url_path="forum"),
    st.Page(
        "pages/participate.py", title=tr("ui.part.title"), icon=":material/pin_drop:", url_path="mitmachen"
    ),
    st.Page(
        "pages/participation_live.py",
        title=tr("ui.part.live_title"),
        icon=":material/campaign:",
        url_path="beteiligung-live",
    ),
    st.Page(
        "pages/profile.py", title=tr("ana.profile_title"), icon=":material/home_pin:", url_path="gemeinde"
    ),
    st.Page(
        "pages/overview.py", title=tr("ana.overview_title"), icon=":material/table:", url_path="uebersicht"
    ),
    st.Page(
        "pages/coverage.py",
        title=tr("ana.coverage_title"),
        icon=":material/radar:",
        url_path="erreichbarkeit",
    ),
    *planner_pages(),  # sidebar sign-in; /upload and /verwalten refuse viewers
]
page = st.navigation(pages)
try:
    page.run()
except GeoError as err:
    st.error(err.message(lang()))
except Exception:  # the one boundary: a bug, logged with its traceback, never shown raw
    log.exception("unexpected error on page %s", page.title)
    st.error(tr("ui.unexpected_error", at=datetime.now().strftime("%d.%m.%Y %H:%M:%S")))
