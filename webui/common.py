"""Shared page state: the store, the language, cached display data.

Caching lives here (not in `geo/`): frames are keyed by layer id and version, so a layer
is read and prepared once per version and every session shares the result. They are kept in
`webui.caches` (process-wide, never emptied by a browser's ``clear_cache`` message), shared
and not copied per call: callers treat them as read-only.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import streamlit as st

from geo.config import load_settings
from geo.errors import GeoError
from geo.exports import export_layer
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from geo.maps.build import BASEMAPS, DEFAULT_BASEMAP, layer_geojson, needs_compact
from geo.maps.display import display_frame
from geo.maps.fastlayer import TileSource, payload_json
from geo.maps.layer_caches import revision
from geo.maps.payload import encode_layer
from geo.maps.permalink import BASEMAP_PARAM, basemap_from_params
from geo.maps.tilecache import (
    MAX_ZOOM,
    URL_BASE,
    build_tiles,
    cache_dir,
    prune,
    publish_text,
    tile_family,
    tiles_name,
)
from geo.store import LayerInfo, Store, open_store
from webui.caches import shared

log = logging.getLogger("smart_region.maps")


@shared(max_entries=8)
def _store(location: str) -> Store:
    return open_store(location)


def get_store() -> Store:
    """The app's one store (all interfaces); pass it on typed as the narrow one a callee needs."""
    return _store(load_settings().store)


def lang() -> str:
    """The UI language: query parameter ``lang``, else the configured default."""
    value = st.query_params.get("lang", load_settings().language or DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, **params: object) -> str:
    return t(key, lang(), **params)


BASEMAP_WIDGET = "basemap"  # the sidebar choice's widget key, the same on every map page
_CHOSEN = "basemap_chosen"  # kept apart: Streamlit drops a widget's key on pages without it


def chosen_basemap() -> str | None:
    """The basemap the user asked for: the URL's (a link, or the permalink of this page), else
    the one picked earlier in this session on any page; None when nobody chose."""
    asked = basemap_from_params(st.query_params.to_dict())
    if asked:
        st.session_state[_CHOSEN] = asked
    return asked or st.session_state.get(_CHOSEN)


def from_label(value: Any, options: Sequence, label: Callable[[Any, str], str], default: Any = None) -> Any:
    """The option a selection widget's `value` stands for: the value itself if it is one, else
    the option one of whose labels (in any language) it is, else `default`.

    Streamlit keeps a choice as the label it showed. After a language switch the browser can
    send the other language's label, and where `label` shows unknown text as it is (a column or
    category by its own name), Streamlit hands the page that label instead of the option.
    """
    if value is None or value in options:
        return value
    return next((o for lg in LANGUAGES for o in options if label(o, lg) == value), default)


def basemap() -> str:
    """The basemap to draw (``none`` for offline use), else the app's default: the one place
    every page reads it."""
    return chosen_basemap() or DEFAULT_BASEMAP


def _remember_basemap() -> None:
    choice = st.session_state[BASEMAP_WIDGET]
    st.session_state[_CHOSEN] = choice
    st.query_params[BASEMAP_PARAM] = choice


def basemap_select() -> str:
    """The basemap choice every page with a map shows in its sidebar. The pick follows the
    user to the next page (session) and into the URL, so a permalink carries it."""
    current = basemap()
    st.session_state[BASEMAP_WIDGET] = current  # set before the widget: the session's choice wins
    st.sidebar.selectbox(
        tr("ui.basemap"),
        list(BASEMAPS),
        format_func=lambda k: tr(BASEMAPS[k].label_key),
        key=BASEMAP_WIDGET,
        on_change=_remember_basemap,
    )
    if st.query_params.get(BASEMAP_PARAM) != current:
        st.query_params[BASEMAP_PARAM] = current
    return current


_MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|~$:=@&")
# Bare URLs and e-mail addresses become links after parsing (GFM autolinks), escapes or not: an
# invisible word joiner after "https:", "www" and "@" keeps the text as it reads, unlinked.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=:/)|(?<=www)(?=\.)|(?<=@)")


def md(text: object) -> str:
    """User text made safe for Streamlit's Markdown (``:red[…]``, ``$…$`` included): every
    special character escaped, line breaks as spaces (a blank line would start a new block),
    so no image, link, autolink or heading can come out of it."""
    flat = _AUTOLINK.sub("\u2060", " ".join(str(text).split()))
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in flat)


def tr_md(key: str, **params: object) -> str:
    """`tr` for Markdown elements (labels, captions, alerts): the parameters, which may hold
    user text such as layer titles and file names, are shown as text."""
    return t(key, lang(), **{k: md(v) for k, v in params.items()})


def error_md(err: GeoError) -> str:
    """A `GeoError`'s message for Markdown elements (``st.error`` …): its parameters as text."""
    return t(err.key, lang(), **{k: md(v) for k, v in err.params.items()})


@shared(max_entries=64)
def _display(location: str, layer_id: str, revision: str, _info: LayerInfo) -> gpd.GeoDataFrame:
    return display_frame(_store(location).read(layer_id, _info.version), _info)


def display_layer(info: LayerInfo) -> gpd.GeoDataFrame:
    """The layer's display frame, prepared once per version."""
    return _display(load_settings().store, info.id, revision(info), info)


@shared(max_entries=64)
def _read(location: str, layer_id: str, version: int) -> gpd.GeoDataFrame:
    return _store(location).read(layer_id, version)


def read_layer(info: LayerInfo) -> gpd.GeoDataFrame:
    """The full layer (all attributes), cached per version."""
    return _read(load_settings().store, info.id, info.version)


def prune_map_cache(store: Store) -> None:
    """Remove the map cache files of versions no longer current (replaced, or in the trash)."""
    prune(cache_dir(load_settings().data), store.list_layers())


@shared(max_entries=64)
def _payload_url(location: str, layer_id: str, revision: str, _info: LayerInfo) -> str:
    text = payload_json(encode_layer(_display(location, layer_id, revision, _info)))
    name = publish_text(text, layer_id, _info.version, cache_dir(load_settings().data))
    prune_map_cache(_store(location))  # a new version's file: the one it replaced goes
    return URL_BASE + name


_BUILDING: set[str] = set()  # tile sets being cut in this process
_BUILDING_LOCK = threading.Lock()


def _cut_tiles(location: str, layer_id: str, revision: str, info: LayerInfo) -> None:
    try:
        frame = _display(location, layer_id, revision, info)
        build_tiles(frame, layer_id, info.version, revision, cache_dir(load_settings().data))
        prune_map_cache(_store(location))  # a new version's tiles: the ones it replaced go
    except Exception:  # a bug, logged; not tried again here: the layer stays on its compact payload
        log.exception("vector tiles of %s v%s failed", layer_id, info.version)
        return
    with _BUILDING_LOCK:  # cut: a later prune (trash) and undelete may ask for it again
        _BUILDING.discard(tiles_name(layer_id, info.version, revision))


def _tiles_url(location: str, layer_id: str, revision: str, info: LayerInfo) -> str | None:
    """The URL template of the version's tile set once it exists; until then None, while one
    background thread cuts it (10-30 s for all of Germany's areas): nobody waits, the map draws
    the compact payload meanwhile and the tiles from the next run on."""
    name = tiles_name(layer_id, info.version, revision)
    if (cache_dir(load_settings().data) / name).is_file():
        return f"{URL_BASE}{name}/{{z}}/{{x}}/{{y}}.pbf"
    with _BUILDING_LOCK:
        if name not in _BUILDING:
            _BUILDING.add(name)
            args = (location, layer_id, revision, info)
            threading.Thread(target=_cut_tiles, args=args, name=f"tiles-{name}", daemon=True).start()
    return None


@shared(max_entries=32)
def _subset_payload(location: str, layer_id: str, revision: str, keep: bytes, _info: LayerInfo) -> dict:
    frame = _display(location, layer_id, revision, _info)
    return encode_layer(frame[np.frombuffer(keep, dtype=bool)[frame["fid"].to_numpy()]])


@shared(max_entries=128)
def _geojson(location: str, layer_id: str, revision: str, keep: bytes, lang: str, _info: LayerInfo) -> str:
    frame = _display(location, layer_id, revision, _info)
    return layer_geojson(frame[np.frombuffer(keep, dtype=bool)[frame["fid"].to_numpy()]], layer_id, lang)


def layer_geojson_text(info: LayerInfo, mask: np.ndarray) -> str:
    """GeoJSON of a small layer's filtered features, built once per filter state and language."""
    return _geojson(load_settings().store, info.id, revision(info), mask.tobytes(), lang(), info)


@shared(max_entries=32)
def _export(location: str, layer_id: str, version: int, keep: bytes, fmt: str) -> bytes:
    gdf = _read(location, layer_id, version)
    return export_layer(gdf[np.frombuffer(keep, dtype=bool)], fmt, layer_id)


def export_bytes(info: LayerInfo, mask: np.ndarray, fmt: str) -> bytes:
    """The filtered features as a download, made once per filter state. Bytes, not a deferred
    callable: the same content keeps the same download URL across reruns, so a click that
    races a rerun (the map reruns on every pan) never meets a revoked file."""
    return _export(load_settings().store, info.id, info.version, mask.tobytes(), fmt)


@shared(max_entries=8)
def _map_html(key: tuple, _build) -> bytes:
    return _build().encode("utf-8")


def map_html_bytes(key: tuple, build) -> bytes:
    """The standalone HTML map, built once per `key` (layers, filters, basemap, view, language)."""
    return _map_html(key, build)


def layer_source(info: LayerInfo, mask: np.ndarray) -> TileSource | dict | str | None:
    """How a large layer reaches the browser: areas and lines as vector tiles (cut once per
    version, filtered in the browser); points, and areas until their tiles are cut, as their
    payload file when unfiltered (sent once, cached by the browser) or an embedded payload of
    the filtered ones; None for small layers, which are drawn as plain GeoJSON."""
    frame = display_layer(info)
    if not needs_compact(frame):
        return None
    location = load_settings().store
    family = tile_family(frame)
    url = _tiles_url(location, info.id, revision(info), info) if family else None
    if url:
        return TileSource(url, MAX_ZOOM, family, None if mask.all() else mask)
    if mask.all():
        return _payload_url(location, info.id, revision(info), info)
    return _subset_payload(location, info.id, revision(info), mask.tobytes(), info)
