"""Smart-Region Geodata Dashboard: page config, shared sidebar, navigation, error boundary."""

from __future__ import annotations

import json
import logging

import streamlit as st

from geo import clock
from geo.demo import ensure_demo
from geo.errors import GeoError
from geo.i18n import LANGUAGES, format_datetime
from geo.maps.assets import install_static_assets
from webui.auth import planner_pages
from webui.caches import shared
from webui.common import error_md, get_store, lang, tr

log = logging.getLogger("smart_region")

st.set_page_config(page_title=tr("ui.app_title"), page_icon="🗺️", layout="wide")
# The document's language for screen readers and hyphenation (WCAG 3.1.1): Streamlit's page says
# "en" whatever the app shows; set on every run, so a language switch updates it too. Its
# container takes no room (no gap above the page).
_SET_LANG = (
    "<style>:has(> .st-key-doc_lang) {{ display: none; }}</style>"
    "<script>document.documentElement.lang = {};</script>"
)
with st.container(key="doc_lang"):
    st.html(_SET_LANG.format(json.dumps(lang())), unsafe_allow_javascript=True)


@shared(max_entries=1)
def _prepare_once() -> None:
    """Serve the map assets and build the demo store on first start (once per process)."""
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
# (script, title key, icon, URL path) of the pages everyone may open
PUBLIC_PAGES = (
    ("pages/events.py", "ui.events.title", ":material/event:", "veranstaltungen"),
    ("pages/forum.py", "ui.forum.title", ":material/co_present:", "forum"),
    ("pages/participate.py", "ui.part.title", ":material/pin_drop:", "mitmachen"),
    ("pages/participation_live.py", "ui.part.live_title", ":material/campaign:", "beteiligung-live"),
    ("pages/profile.py", "ana.profile_title", ":material/home_pin:", "gemeinde"),
    ("pages/overview.py", "ana.overview_title", ":material/table:", "uebersicht"),
    ("pages/coverage.py", "ana.coverage_title", ":material/radar:", "erreichbarkeit"),
)
pages = [
    st.Page("pages/map_view.py", title=tr("ui.map"), icon=":material/map:", default=True),
    *(st.Page(path, title=tr(title), icon=icon, url_path=url) for path, title, icon, url in PUBLIC_PAGES),
    *planner_pages(),  # sidebar sign-in; planner pages refuse viewers, also by direct URL
]
page = st.navigation(pages)
try:
    page.run()
except GeoError as err:
    st.error(error_md(err))
except Exception:  # the one boundary: a bug, logged with its traceback, never shown raw
    log.exception("unexpected error on page %s", page.title)
    st.error(tr("ui.unexpected_error", at=format_datetime(clock.local_now(), lang(), seconds=True)))
