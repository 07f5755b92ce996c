"""The whole map view as URL query parameters, and back.

Query parameters come from anyone's link, so every value is parsed and checked; a bad
value is dropped (the default applies) rather than failing the page.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from geo.i18n import LANGUAGES
from geo.maps.build import BASEMAPS
from geo.store import LayerInfo

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
BASEMAP_PARAM = "basemap"
OLD_BASEMAP_PARAMS = ("karte",)  # what the participation pages' links used to call it


@dataclass(frozen=True)
class ViewState:
    layers: tuple[str, ...] | None = None  # visible layer ids; None: all
    basemap: str | None = None
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)
    municipalities: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    selected: tuple[str, int] | None = None  # (layer id, fid)
    lang: str | None = None

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)


def _float(value: str | None, lo: float, hi: float) -> float | None:
    try:
        x = float(value) if value is not None else None
    except ValueError:
        return None
    return x if x is not None and math.isfinite(x) and lo <= x <= hi else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _categories(value: str | None) -> dict[str, tuple[str, ...]]:
    try:
        raw = json.loads(value) if value else {}
    except json.JSONDecodeError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {
        k: tuple(str(v) for v in vals)
        for k, vals in raw.items()
        if _ID.match(str(k)) and isinstance(vals, list)
    }


def _selected(value: str | None) -> tuple[str, int] | None:
    layer, _, fid = (value or "").rpartition(":")
    return (layer, int(fid)) if _ID.match(layer) and fid.isdigit() else None


def basemap_from_params(params: Mapping[str, str]) -> str | None:
    """The basemap a link asks for (``basemap``, or ``karte`` in older links), if it is a known one."""
    for name in (BASEMAP_PARAM, *OLD_BASEMAP_PARAMS):
        if name in params:
            return params[name] if params[name] in BASEMAPS else None
    return None


def from_params(params: dict[str, str]) -> ViewState:
    """Parse query parameters (untrusted) into a view."""
    layers = params.get("layers")
    zoom = _float(params.get("z"), 0, 20)
    return ViewState(
        layers=tuple(x for x in layers.split(",") if _ID.match(x)) if layers is not None else None,
        basemap=basemap_from_params(params),
        lat=_float(params.get("lat"), -90, 90),
        lon=_float(params.get("lon"), -180, 180),
        zoom=int(zoom) if zoom is not None else None,
        categories=_categories(params.get("cat")),
        municipalities=tuple(x for x in params.get("gem", "").split(",") if re.fullmatch(r"[0-9]{1,12}", x)),
        date_from=_date(params.get("von")),
        date_to=_date(params.get("bis")),
        selected=_selected(params.get("sel")),
        lang=params.get("lang") if params.get("lang") in LANGUAGES else None,
    )


def to_params(view: ViewState) -> dict[str, str]:
    """The view as query parameters (only what differs from the defaults)."""
    out: dict[str, str] = {}
    if view.layers is not None:
        out["layers"] = ",".join(view.layers)
    if view.basemap:
        out[BASEMAP_PARAM] = view.basemap
    if view.lat is not None and view.lon is not None:
        out["lat"], out["lon"] = f"{view.lat:.5f}", f"{view.lon:.5f}"
    if view.zoom is not None:
        out["z"] = str(view.zoom)
    if view.categories:
        out["cat"] = json.dumps(
            {k: list(v) for k, v in view.categories.items()}, ensure_ascii=False, separators=(",", ":")
        )
    if view.municipalities:
        out["gem"] = ",".join(view.municipalities)
    if view.date_from:
        out["von"] = view.date_from.isoformat()
    if view.date_to:
        out["bis"] = view.date_to.isoformat()
    if view.selected:
        out["sel"] = f"{view.selected[0]}:{view.selected[1]}"
    if view.lang:
        out["lang"] = view.lang
    return out


def home_bboxes(layers: list[LayerInfo], shown: list[LayerInfo] | None = None) -> list[tuple]:
    """What the map opens on: the district (its municipality layers), not the union of every
    layer, so an uploaded layer reaching far beyond the district does not zoom the view out;
    without municipalities, the `shown` layers (else all)."""
    areas = [info.bbox for info in layers if info.kind == "municipalities"]
    return areas or [info.bbox for info in shown or layers]
