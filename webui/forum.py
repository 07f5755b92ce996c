"""Forum mode glue: the stored tour, the station's map, projector styling."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from geo import clock
from geo.maps.build import initial_view
from geo.maps.tour import DEFAULT_TOUR, DOCUMENT_KIND, Station, Tour, demo_tour
from geo.store import LayerInfo
from webui.common import get_store
from webui.explorer import filtered_layers, municipality_areas

# Projector: big type (every text at least 24 px), black on white, no chrome or sidebar (no editing
# controls at all). The map and the side column fill the screen below the title: the rows above
# them have fixed heights (buttons 64 px, one title line), which `--forum-top` adds up.
FORUM_CSS = """
<style>
.stApp { --forum-top: 178px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header { display: none !important; }
.block-container { padding: 0.75rem 2rem 0 2rem !important; max-width: 100% !important; }
.stApp, .stMarkdown p, .stButton button p, .sr-legend, .sr-legend *, [data-testid="stPageLink"] *,
[data-testid="stCaptionContainer"], [data-testid="stPopover"] button p {
  font-size: 24px !important; color: #000; }
.stMarkdown p { font-size: 26px !important; }
.stApp h1 { font-size: 44px !important; color: #000; padding: 0 !important;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.stButton button { min-height: 64px; padding: 0 1.4rem; border: 3px solid #000; white-space: nowrap; }
.stButton button kbd, .stButton button kbd * { font-size: 24px !important; color: #000; }
.st-key-forum_nav { flex-wrap: nowrap; }
.st-key-forum_nav [data-testid="stPageLink"] { margin-left: auto; }
.st-key-forum_map_box iframe { height: calc(100vh - var(--forum-top)) !important; }
.st-key-forum_side { height: calc(100vh - var(--forum-top)); overflow-y: auto; }
.st-key-forum_hidden_keys { display: none; }
</style>
"""


def load_tour(layers: list[LayerInfo]) -> Tour:
    """The stored forum tour; until a planner saves one, a starter tour over the stored layers."""
    stored = get_store().get_document(DOCUMENT_KIND, DEFAULT_TOUR)
    if stored:
        return Tour.from_dict(stored)
    by_kind: dict[str, list[str]] = {}
    for info in layers:
        by_kind.setdefault(info.kind, []).append(info.id)
    return demo_tour(by_kind)


def save_tour(tour: Tour, author: str) -> int:
    return get_store().put_document(DOCUMENT_KIND, tour.name, tour.to_dict(), author=author)


def station_layers(station: Station, layers: list[LayerInfo]):
    """Map layers of the station's view (filters applied) and its centre and zoom."""
    view = station.view
    by_id = {info.id: info for info in layers}
    visible = [by_id[i] for i in view.layers if i in by_id] if view.layers is not None else layers
    munis = next((info for info in layers if info.kind == "municipalities"), None)
    filters = station.filters(clock.today())
    map_layers, _ = filtered_layers(visible, filters, municipality_areas(munis, view.municipalities), True)
    center, zoom = initial_view([info.bbox for info in visible or layers])
    if view.lat is not None and view.lon is not None:
        center = (view.lat, view.lon)
    return map_layers, center, view.zoom or zoom


def app_base_url() -> str:
    """``scheme://host[:port]/base-path`` of this app, for links the audience opens."""
    url = st.context.url or ""
    parts = urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] if parts.path.count("/") > 1 else ""
    return f"{parts.scheme}://{parts.netloc}{path}" if parts.netloc else ""
