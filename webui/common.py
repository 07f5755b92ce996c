"""Shared page state: the store, the language, cached display data.

Caching lives here (not in `geo/`): frames are keyed by layer id and version, so a layer
is read and prepared once per version and every session shares the result. They are cached
as resources (shared, not copied per call): callers treat them as read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from geo.config import load_settings
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from geo.maps.build import layer_geojson, needs_compact
from geo.maps.display import display_frame
from geo.maps.fastlayer import publish_payload
from geo.maps.payload import encode_layer
from geo.store import LayerInfo, LayerStore, open_store

if PagesManager.uses_pages_directory:
    # Streamlit runs the very first script after a server start in its legacy mode for apps
    # with a ``pages/`` folder: page files directly, without dashboard.py's navigation and
    # error boundary. Leave that mode and run again through dashboard.py (st.navigation).
    PagesManager.uses_pages_directory = False
    st.rerun()


@st.cache_resource(show_spinner=False)
def _store(location: str) -> LayerStore:
    return open_store(location)


def get_store() -> LayerStore:
    return _store(load_settings().data)


def lang() -> str:
    """The UI language: query parameter ``lang``, else the configured default."""
    value = st.query_params.get("lang", load_settings().language or DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, **params: object) -> str:
    return t(key, lang(), **params)


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


def revision(info: LayerInfo) -> str:
    """Cache key of what the map shows: the data version and the metadata (roles, style) time."""
    return f"{info.version}@{info.updated_at}"


@st.cache_resource(show_spinner=False, max_entries=64)
def _display(location: str, layer_id: str, revision: str, _info: LayerInfo) -> gpd.GeoDataFrame:
    return display_frame(_store(location).read(layer_id, _info.version), _info)


def display_layer(info: LayerInfo) -> gpd.GeoDataFrame:
    """The layer's display frame, prepared once per version."""
    return _display(load_settings().data, info.id, revision(info), info)


@st.cache_resource(show_spinner=False, max_entries=64)
def _read(location: str, layer_id: str, version: int) -> gpd.GeoDataFrame:
    return _store(location).read(layer_id, version)


def read_layer(info: LayerInfo) -> gpd.GeoDataFrame:
    """The full layer (all attributes), cached per version."""
    return _read(load_settings().data, info.id, info.version)


@st.cache_resource(show_spinner=False, max_entries=64)
def _payload_url(location: str, layer_id: str, revision: str, _info: LayerInfo) -> str:
    return publish_payload(
        encode_layer(_display(location, layer_id, revision, _info)), layer_id, _info.version
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _subset_payload(location: str, layer_id: str, revision: str, keep: bytes, _info: LayerInfo) -> dict:
    frame = _display(location, layer_id, revision, _info)
    return encode_layer(frame[np.frombuffer(keep, dtype=bool)[frame["fid"].to_numpy()]])


@st.cache_data(show_spinner=False, max_entries=128)
def _geojson(location: str, layer_id: str, revision: str, keep: bytes, lang: str, _info: LayerInfo) -> str:
    frame = _display(location, layer_id, revision, _info)
    return layer_geojson(frame[np.frombuffer(keep, dtype=bool)[frame["fid"].to_numpy()]], layer_id, lang)


def layer_geojson_text(info: LayerInfo, mask: np.ndarray) -> str:
    """GeoJSON of a small layer's filtered features, built once per filter state and language."""
    return _geojson(load_settings().data, info.id, revision(info), mask.tobytes(), lang(), info)


def layer_source(info: LayerInfo, mask: np.ndarray) -> dict | str | None:
    """How a large layer reaches the browser: its published payload file when unfiltered (sent
    once, cached by the browser), an embedded payload of the filtered features otherwise;
    None for small layers, which are drawn as plain GeoJSON."""
    frame = display_layer(info)
    if not needs_compact(frame):
        return None
    location = load_settings().data
    if mask.all():
        return _payload_url(location, info.id, revision(info), info)
    return _subset_payload(location, info.id, revision(info), mask.tobytes(), info)
