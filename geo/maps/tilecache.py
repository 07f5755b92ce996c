"""Map caches beside the data: vector tiles (PMTiles) and compact payload files per layer version.

Big polygon and line layers reach the browser as Mapbox Vector Tiles in one PMTiles file
(GDAL's PMTiles driver): generalised at small zooms, at full stored resolution from
`MAX_ZOOM` on (Leaflet overzooms those tiles). Big point layers keep their compact payload
file (`geo.maps.payload`): markercluster needs every point in the browser.

Files live in the data directory's ``.map-cache`` folder, never in the checkout (read-only
installs, several replicas). A name carries the layer id and version, so a file is public only
while that version is the current one of a layer outside the trash (`is_public`), and `prune`
removes every other file. Files are written once, atomically; names never get new content.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pyogrio
from pmtiles.reader import MmapSource, Reader

from geo.store import is_database_url

FOLDER = ".map-cache"
TILE_LAYER = "features"  # the one layer inside each tile set
MAX_ZOOM = 10  # 4096-unit tiles: 6 m at 51° N, a quarter of a screen pixel at z12 (24 m)
# Douglas-Peucker tolerance in tile units (4096 per 256-px tile): half a pixel below MAX_ZOOM
# (VG250 Kreise at the Germany view: 59 instead of 390 KB, and a 2.3× faster cut); none at
# MAX_ZOOM, whose tiles are scaled up for every deeper zoom: every stored vertex (on a 6 m grid).
SIMPLIFY = {"SIMPLIFICATION": "8", "SIMPLIFICATION_MAX_ZOOM": "0"}
_NAME = re.compile(r"^(?P<id>[a-z0-9-]+)-v(?P<version>[0-9]+)-[0-9a-f]{12}\.(?P<ext>json|pmtiles)$")
# Relative to streamlit-folium's component frame (/component/<name>/index.html): the app's route.
URL_BASE = "../../map-cache/"


def cache_dir(data: str) -> Path:
    """The cache folder of the data directory `data` (a temporary folder for a database URL)."""
    base = Path(tempfile.gettempdir()) / "smart-region" if is_database_url(data) else Path(data)
    return base / FOLDER


def safe_id(layer_id: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", layer_id.lower()).strip("-")[:60] or "layer"


def file_name(layer_id: str, version: int, content_key: str, ext: str) -> str:
    """``<id>-v<version>-<digest>.<ext>``: the digest of what went in, so names never get new content."""
    digest = hashlib.sha256(content_key.encode("utf-8")).hexdigest()[:12]
    return f"{safe_id(layer_id)}-v{int(version)}-{digest}.{ext}"


def _write_atomic(target: Path, write) -> None:
    """`write(tmp_path)`, then rename: a browser never reads half a file, a crash leaves none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=target.suffix)
    os.close(fd)
    try:
        Path(tmp).unlink()  # GDAL creates the file itself
        write(Path(tmp))
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def publish_text(text: str, layer_id: str, version: int, folder: Path) -> str:
    """Write a payload's JSON once; return its file name."""
    name = file_name(layer_id, version, text, "json")
    target = folder / name
    if not target.exists():
        _write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return name


def tiles_name(layer_id: str, version: int, content_key: str) -> str:
    """The file name `build_tiles` gives the tile set (to look for it before building)."""
    return file_name(layer_id, version, f"{content_key}|z{MAX_ZOOM}|{SIMPLIFY}", "pmtiles")


def build_tiles(frame: gpd.GeoDataFrame, layer_id: str, version: int, content_key: str, folder: Path) -> str:
    """The frame's fid, name and category as a PMTiles vector tile set (once); its file name.

    `frame` is a display frame (lon/lat, values HTML-escaped); `content_key` names what it
    was made from (version and metadata time), so changed roles or styles make a new file.
    """
    name = tiles_name(layer_id, version, content_key)
    target = folder / name
    if not target.exists():
        columns = [c for c in ("fid", "name", "category") if c in frame.columns]
        data = frame[[*columns, "geometry"]].to_crs("EPSG:4326")
        options = {"MINZOOM": "0", "MAXZOOM": str(MAX_ZOOM), **SIMPLIFY}
        _write_atomic(
            target,
            lambda tmp: pyogrio.write_dataframe(
                data, tmp, driver="PMTiles", layer=TILE_LAYER, dataset_options=options
            ),
        )
    return name


def tile_family(frame: gpd.GeoDataFrame) -> str | None:
    """``polygons`` or ``lines`` when every feature is one of them (a tile set's one style), else None."""
    types = set(frame.geometry.geom_type.dropna())
    if types and types <= {"Polygon", "MultiPolygon"}:
        return "polygons"
    if types and types <= {"LineString", "MultiLineString"}:
        return "lines"
    return None


def is_public(name: str, layers) -> bool:
    """Whether cache file `name` belongs to the current version of a layer in `layers` (the
    store's live layers): files of layers in the trash and of replaced versions are not."""
    found = _NAME.fullmatch(name)
    if found is None:
        return False
    current = {safe_id(info.id): info.version for info in layers}
    return current.get(found["id"]) == int(found["version"])


def prune(folder: Path, layers) -> list[str]:
    """Remove every cache file that is not public for `layers`; the names removed."""
    if not folder.is_dir():
        return []
    gone = [p.name for p in folder.iterdir() if _NAME.fullmatch(p.name) and not is_public(p.name, layers)]
    for name in gone:
        (folder / name).unlink(missing_ok=True)
        _reader.cache_clear()  # an open file map would keep the space until the process ends
    return gone


@lru_cache(maxsize=16)
def _reader(path: Path) -> tuple[Reader, bool]:
    with path.open("rb") as fh:  # the map stays valid after the file is closed
        reader = Reader(MmapSource(fh))
        return reader, reader.header()["tile_compression"].value == 2  # gzip


def read_tile(path: Path, z: int, x: int, y: int) -> tuple[bytes, bool]:
    """One tile's bytes (empty where the set has none) and whether they are gzip-compressed."""
    reader, gzipped = _reader(path)
    if not 0 <= z <= MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
        return b"", False
    data = reader.get(z, x, y)
    return (bytes(data), gzipped) if data else (b"", False)
