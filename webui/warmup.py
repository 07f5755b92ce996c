"""Prepare the store's layers before the server takes its first visitor.

A fresh server otherwise reads and prepares every layer inside the first session's run: with
all of Germany's Gemeinden that is about 0.6 s more for whoever comes first. The app server
(`webui.server`) calls `warm_up` while it starts, before it answers a health check, so a load
balancer sends nobody to a server that is still preparing. What it prepares is what the map
page draws by default (every layer, unfiltered), in the process-wide caches of
`webui.common`; area layers whose tiles are missing start being cut here too. The modules the
map page's first run would import (0.5 s) are imported here as well; streamlit-folium is not:
its component is registered only when declared inside a session's run.
"""

from __future__ import annotations

import importlib
import logging

import numpy as np

from webui.common import display_layer, get_store, layer_source, read_layer

log = logging.getLogger("smart_region.maps")

# what the map page's first run imports beyond the server's own modules (python -X importtime)
PAGE_MODULES = (
    "folium.plugins", "streamlit.emojis", "streamlit.material_icon_names",
    "webui.auth", "webui.explorer", "webui.sheet",
)  # fmt: skip


def warm_up() -> int:
    """Read and prepare every current layer; returns how many were prepared. A layer that
    fails is logged and left for the page (which shows its error then), never stops the start."""
    prepared = 0
    for module in PAGE_MODULES:
        importlib.import_module(module)
    for info in get_store().list_layers():
        try:
            features = read_layer(info)
            display_layer(info)
            layer_source(info, np.ones(len(features), dtype=bool))
        except Exception:  # a bug, or a damaged file: logged; the page meets it again
            log.exception("preparing layer %s v%s failed", info.id, info.version)
            continue
        prepared += 1
    return prepared
