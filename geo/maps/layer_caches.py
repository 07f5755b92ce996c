"""The map caches of a layer version, made when the version is written.

A big area or line layer is drawn from its vector tiles (`geo.maps.tilecache`). Cut at
write time (CLI import, upload page), the first visitor of the map already gets them; a server
that finds none (a version restored, metadata changed, caches deleted) cuts them itself in the
background and draws the compact payload meanwhile (`webui.common.layer_source`).
"""

from __future__ import annotations

from geo.maps.build import needs_compact
from geo.maps.display import display_frame
from geo.maps.tilecache import build_tiles, cache_dir, prune, tile_family
from geo.store import LayerInfo, LayerStore


def revision(info: LayerInfo) -> str:
    """Cache key of what the map shows: the data version and the metadata (roles, style) time."""
    return f"{info.version}@{info.updated_at}"


def cut_tiles(store: LayerStore, info: LayerInfo, data: str) -> str | None:
    """Cut the tile set of `info`'s version into the map cache of data directory `data` and
    remove the files of versions no longer current; its file name, or None where the layer
    is not drawn from tiles (points, small layers)."""
    frame = display_frame(store.read(info.id, info.version), info)
    if not needs_compact(frame) or tile_family(frame) is None:
        return None
    folder = cache_dir(data)
    name = build_tiles(frame, info.id, info.version, revision(info), folder)
    prune(folder, store.list_layers())
    return name
