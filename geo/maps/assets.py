"""Map JavaScript and CSS served by the app itself, taken from installed packages.

Leaflet comes from the ``xstatic-leaflet`` package (BSD-2-Clause), the cluster plugin from
``xstatic-leaflet-markercluster`` (MIT). Nothing is fetched from a CDN: forums run without
internet, and no visitor's address reaches third-party hosts. The files are copied into the
app's static folder (git-ignored) at start, so Streamlit's static serving delivers them.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_cluster

from geo.config import REPO_ROOT

STATIC_DIR = REPO_ROOT / "static"
VENDOR = "vendor"

# (package data dir, file name) -> path below static/vendor/
_FILES: dict[str, tuple[str, str]] = {
    "leaflet/leaflet.js": (xs_leaflet.BASE_DIR, "leaflet.js"),
    "leaflet/leaflet.css": (xs_leaflet.BASE_DIR, "leaflet.css"),
    "leaflet/images/layers.png": (xs_leaflet.BASE_DIR, "images/layers.png"),
    "leaflet/images/layers-2x.png": (xs_leaflet.BASE_DIR, "images/layers-2x.png"),
    "leaflet/images/marker-icon.png": (xs_leaflet.BASE_DIR, "images/marker-icon.png"),
    "leaflet/images/marker-icon-2x.png": (xs_leaflet.BASE_DIR, "images/marker-icon-2x.png"),
    "leaflet/images/marker-shadow.png": (xs_leaflet.BASE_DIR, "images/marker-shadow.png"),
    "markercluster/leaflet.markercluster.js": (xs_cluster.BASE_DIR, "leaflet.markercluster.js"),
    "markercluster/MarkerCluster.css": (xs_cluster.BASE_DIR, "MarkerCluster.css"),
    "markercluster/MarkerCluster.Default.css": (xs_cluster.BASE_DIR, "MarkerCluster.Default.css"),
}

VENDOR_NAMES = frozenset(_FILES)  # what may be served by name (never a path from a request)
LEAFLET_JS = "leaflet/leaflet.js"
LEAFLET_CSS = "leaflet/leaflet.css"
CLUSTER_JS = "markercluster/leaflet.markercluster.js"
CLUSTER_CSS = ("markercluster/MarkerCluster.css", "markercluster/MarkerCluster.Default.css")


def source_path(name: str) -> Path:
    """The installed package file behind a vendor asset name."""
    base, rel = _FILES[name]
    return Path(base) / rel


def install_static_assets(static_dir: Path = STATIC_DIR) -> Path:
    """Copy the vendor files into ``static_dir/vendor`` where missing or outdated."""
    target_root = static_dir / VENDOR
    for name in _FILES:
        src, dst = source_path(name), target_root / name
        if dst.exists() and filecmp.cmp(src, dst, shallow=False):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(dst.name + ".part")
        shutil.copyfile(src, tmp)
        tmp.replace(dst)  # atomic: a browser never gets a half-copied file
    return target_root


def read_asset(name: str) -> str:
    """An asset's text, for standalone HTML exports that inline everything."""
    return source_path(name).read_text(encoding="utf-8")
