"""Compact map payload: what a layer costs the browser, in as few bytes as honest drawing allows.

GeoJSON repeats keys and prints every coordinate in full, so 11,000 municipalities cost
megabytes. Here a layer becomes column arrays of its few shown properties plus, per geometry
family (points, lines, polygons), nested part/ring/vertex counts and coordinates quantised to
an integer grid, delta-encoded as zigzag varints in base64 (the smallest JSON form measured:
about half of flat integer arrays). Polygon coverages are simplified together with
`shapely.coverage_simplify` in a metric CRS, so neighbouring municipalities keep one shared
border: no gaps, no overlaps. ``static/js/compact_layer.js`` decodes the same format.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import GeometryType

FORMAT = 1
METRIC_CRS = "EPSG:25832"
DISPLAY_CRS = "EPSG:4326"
POINT_GRID = 1e-5  # degrees, about 1 m: points are never simplified, so keep them exact
DEGREES_PER_METRE = 1e-5  # close enough in Germany for choosing a grid step
BASE_COLUMNS = ("fid", "name", "category")

_FAMILY_TYPES = {
    "points": (GeometryType.POINT, GeometryType.MULTIPOINT),
    "lines": (GeometryType.LINESTRING, GeometryType.LINEARRING, GeometryType.MULTILINESTRING),
    "polygons": (GeometryType.POLYGON, GeometryType.MULTIPOLYGON),
}
_MULTI = {"points": shapely.MultiPoint, "lines": shapely.MultiLineString, "polygons": shapely.MultiPolygon}


# --- integer packing -------------------------------------------------------------------------


def _varints(values: np.ndarray) -> bytes:
    """LEB128 varints of non-negative integers, vectorised."""
    v = np.asarray(values, dtype=np.uint64)
    sizes = np.ones(len(v), dtype=np.int64)
    rest = v >> np.uint64(7)
    while rest.any():
        sizes += rest > 0
        rest >>= np.uint64(7)
    out = np.empty(int(sizes.sum()), dtype=np.uint8)
    starts = np.cumsum(sizes) - sizes
    for k in range(int(sizes.max(initial=0))):
        sel = sizes > k
        low = ((v[sel] >> np.uint64(7 * k)) & np.uint64(0x7F)).astype(np.uint8)
        more = (sizes[sel] > k + 1).astype(np.uint8) << 7
        out[starts[sel] + k] = low | more
    return out.tobytes()


def _unvarints(data: bytes) -> np.ndarray:
    """Inverse of `_varints`."""
    b = np.frombuffer(data, dtype=np.uint8).astype(np.uint64)
    if not len(b):
        return np.zeros(0, dtype=np.int64)
    ends = np.flatnonzero((b & np.uint64(0x80)) == 0)
    starts = np.concatenate(([0], ends[:-1] + 1))
    group = np.repeat(np.arange(len(ends)), ends - starts + 1)
    shift = (np.arange(len(b)) - starts[group]).astype(np.uint64) * np.uint64(7)
    return np.add.reduceat((b & np.uint64(0x7F)) << shift, starts).astype(np.int64)


def pack_counts(values: np.ndarray) -> str:
    """Non-negative integers as base64 varints."""
    return base64.b64encode(_varints(values)).decode("ascii")


def pack_deltas(values: np.ndarray) -> str:
    """Signed integers as base64 varints of their zigzagged differences."""
    d = np.diff(np.asarray(values, dtype=np.int64), prepend=np.int64(0))
    return pack_counts((d << 1) ^ (d >> 63))


def unpack_counts(text: str) -> np.ndarray:
    return _unvarints(base64.b64decode(text))


def unpack_deltas(text: str) -> np.ndarray:
    z = unpack_counts(text)
    return np.cumsum((z >> 1) ^ -(z & 1))


# --- geometry preparation ----------------------------------------------------------------------


def auto_tolerance(bounds: Sequence[float]) -> float:
    """Simplification tolerance (m) from a metric extent: Germany ~700 m, a district ~45 m."""
    minx, miny, maxx, maxy = bounds
    diagonal = math.hypot(maxx - minx, maxy - miny)
    return float(np.clip(diagonal / 1500, 2.0, 1000.0)) if math.isfinite(diagonal) else 2.0


def grid_step(tolerance_m: float, smallest_m: float = math.inf) -> float:
    """Quantisation grid (degrees): 1, 2 or 5 × 10^k metres, about a 40th of the tolerance.

    Finer where a feature is small (an eighth of its size, down to 1 m), so none collapses.
    """
    metres = max(min(tolerance_m / 40, smallest_m / 8), 1.0)
    power = 10 ** math.floor(math.log10(metres))
    step = max(s for s in (1, 2, 5) if s * power <= metres + 1e-9) * power
    return step * DEGREES_PER_METRE


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The areal part of a repaired geometry (make_valid may add stray lines or points)."""
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) == GeometryType.POLYGON]
    return shapely.MultiPolygon(parts) if len(parts) != 1 else parts[0]


def simplify_coverage(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Polygons simplified as one coverage (shared borders stay shared); tiny ones never vanish."""
    fixed = geoms.copy()
    invalid = np.flatnonzero(~shapely.is_valid(fixed))
    repaired = np.array([_polygonal(g) for g in shapely.make_valid(fixed[invalid])], dtype=object)
    usable = ~shapely.is_empty(repaired)  # a collapsed ring has no area left: draw it as it is
    fixed[invalid[usable]] = repaired[usable]
    if shapely.coverage_is_valid(fixed):
        out = shapely.coverage_simplify(fixed, tolerance)
    else:  # overlapping areas (zones, buffers): no coverage to keep, simplify one by one
        out = shapely.simplify(fixed, tolerance, preserve_topology=True)
    lost = shapely.is_empty(out) | (shapely.area(out) <= 0)
    out[lost] = fixed[lost]
    return out


def _families(geoms: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per family: (feature index, geometry); collections split into one entry per family."""
    types = shapely.get_type_id(geoms)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    found: dict[str, tuple[list, list]] = {name: ([], []) for name in _FAMILY_TYPES}
    for name, members in _FAMILY_TYPES.items():
        idx = np.flatnonzero(np.isin(types, members) & ~empty)
        found[name][0].extend(idx.tolist())
        found[name][1].extend(geoms[idx].tolist())
    for i in np.flatnonzero((types == GeometryType.GEOMETRYCOLLECTION) & ~empty):
        for name, members in _FAMILY_TYPES.items():
            parts = [p for p in shapely.get_parts(geoms[i]) if shapely.get_type_id(p) in members]
            parts = [q for p in parts for q in shapely.get_parts(p) if not q.is_empty]
            if parts:
                found[name][0].append(int(i))
                found[name][1].append(_MULTI[name](parts) if len(parts) > 1 else parts[0])
    result = {}
    for name, (idx, items) in found.items():
        if idx:
            order = np.argsort(np.asarray(idx), kind="stable")
            result[name] = (np.asarray(idx)[order], np.asarray(items, dtype=object)[order])
    return result


def _prepare(frame: gpd.GeoDataFrame, tolerance_m: float | None) -> tuple[dict, float]:
    """Per family: feature index, geometries in lon/lat (lines, polygons simplified in metres),
    and the smallest feature's size in metres."""
    geo = frame.geometry if frame.crs else frame.geometry.set_crs(DISPLAY_CRS)
    metric = geo.to_crs(METRIC_CRS)
    families = _families(metric.values)
    tolerance = tolerance_m if tolerance_m is not None else auto_tolerance(metric.total_bounds)
    if "polygons" in families:
        idx, polys = families["polygons"]
        families["polygons"] = (idx, simplify_coverage(polys, tolerance))
    if "lines" in families:
        idx, lines = families["lines"]
        families["lines"] = (idx, shapely.simplify(lines, tolerance, preserve_topology=True))
    for name, (idx, items) in families.items():
        bounds = shapely.bounds(items)
        sizes = np.max(bounds[:, 2:] - bounds[:, :2], axis=1)
        smallest = float(np.nanmin(sizes)) if np.isfinite(sizes).any() else math.inf
        lonlat = gpd.GeoSeries(items, crs=METRIC_CRS).to_crs(DISPLAY_CRS).values
        families[name] = (idx, lonlat, smallest)
    return families, tolerance


# --- encoding ----------------------------------------------------------------------------------


def _optional_counts(counts: np.ndarray) -> str | None:
    """Counts worth sending: a run of ones (single parts, single rings) is the default."""
    return None if np.all(counts == 1) else pack_counts(counts)


def _ragged(items: np.ndarray, family: str) -> tuple[np.ndarray, list[np.ndarray]]:
    """Coordinates and nested counts (outermost first), every family promoted to its multi type."""
    if family == "lines":
        rings = shapely.get_type_id(items) == GeometryType.LINEARRING
        items = items.copy()
        items[rings] = [shapely.LineString(g.coords) for g in items[rings]]
    kind, coords, offsets = shapely.to_ragged_array(items, include_z=False)
    counts = [np.diff(o) for o in reversed(offsets)]
    if kind in (GeometryType.POINT, GeometryType.LINESTRING, GeometryType.POLYGON):
        counts = [np.ones(len(items), dtype=np.int64), *counts]  # promote to multi
    return coords, counts


def _encode_family(idx: np.ndarray, items: np.ndarray, family: str, n: int, grid: float) -> dict:
    coords, counts = _ragged(items, family)
    if family == "polygons":  # drop each ring's closing vertex: Leaflet closes rings itself
        ring_ends = np.cumsum(counts[-1]) - 1
        keep = np.ones(len(coords), dtype=bool)
        keep[ring_ends] = False
        coords, counts[-1] = coords[keep], counts[-1] - 1
    q = np.rint(coords / grid).astype(np.int64)
    out: dict = {"grid": grid, "x": pack_deltas(q[:, 0]), "y": pack_deltas(q[:, 1])}
    out["feat"] = None if len(idx) == n and np.array_equal(idx, np.arange(n)) else pack_deltas(idx)
    names = {"points": ["parts"], "lines": ["parts", "verts"], "polygons": ["parts", "rings", "verts"]}
    for name, c in zip(names[family], counts, strict=True):
        out[name] = pack_counts(c) if name == "verts" else _optional_counts(c)
    return out


def _json_value(v: object) -> object:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v if isinstance(v, str | int | float | bool) else str(v)


def encode_column(values: pd.Series) -> list | dict:
    """Integers as deltas, repetitive strings as a dictionary, anything else as a plain list."""
    if pd.api.types.is_integer_dtype(values.dtype) and not values.isna().any():
        ints = values.to_numpy(dtype=np.int64)
        if len(ints) and np.all(np.diff(ints) == 1):  # the usual fid column: 0, 1, 2, …
            return {"start": int(ints[0])}
        return {"int": pack_deltas(ints)}
    plain = [_json_value(v) for v in values.astype(object)]
    if len(plain) > 8 and all(isinstance(v, str) for v in plain):
        codes, uniques = pd.factorize(pd.Series(plain, dtype=object))
        if len(uniques) * 2 <= len(plain):
            return {"dict": [str(u) for u in uniques], "codes": pack_counts(codes)}
    return plain


def decode_column(column: list | dict, n: int) -> list:
    if isinstance(column, list):
        return column
    if "start" in column:
        return list(range(column["start"], column["start"] + n))
    if "int" in column:
        return unpack_deltas(column["int"]).tolist()
    return [column["dict"][c] for c in unpack_counts(column["codes"])]


def encode_layer(
    frame: gpd.GeoDataFrame, tolerance_m: float | None = None, columns: Sequence[str] = ()
) -> dict:
    """The compact, JSON-serialisable payload of a display frame; see the module docstring.

    Args:
        frame: features with ``fid``, ``name``, ``category`` (values already HTML-escaped).
        tolerance_m: simplification tolerance in metres; None chooses one from the extent.
        columns: further property columns to send (they must be escaped by the caller).
    """
    n = len(frame)
    families, tolerance = _prepare(frame, tolerance_m)
    names = [c for c in BASE_COLUMNS if c in frame.columns] + [c for c in columns if c not in BASE_COLUMNS]
    props = {c: encode_column(frame[c]) for c in names}
    if "fid" not in props:
        props["fid"] = {"start": 0}
    payload: dict = {"format": FORMAT, "n": n, "tolerance": round(tolerance, 1), "columns": props}
    for family, (idx, items, smallest) in families.items():
        step = POINT_GRID if family == "points" else grid_step(tolerance, smallest)
        payload[family] = _encode_family(idx, items, family, n, step)
    return payload


# --- decoding (Python side, for tests and checks) -----------------------------------------------

_MULTI_TYPES = {
    "points": GeometryType.MULTIPOINT,
    "lines": GeometryType.MULTILINESTRING,
    "polygons": GeometryType.MULTIPOLYGON,
}
_COUNT_NAMES = {"points": ["parts"], "lines": ["parts", "verts"], "polygons": ["parts", "rings", "verts"]}


def _decode_family(data: dict, family: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    coords = np.column_stack([unpack_deltas(data["x"]), unpack_deltas(data["y"])]) * data["grid"]
    feat = np.arange(n) if data.get("feat") is None else unpack_deltas(data["feat"])
    counts = []
    for name in _COUNT_NAMES[family]:
        outer = len(feat) if not counts else int(counts[-1].sum())
        packed = data.get(name)
        counts.append(np.ones(outer, dtype=np.int64) if packed is None else unpack_counts(packed))
    if family == "polygons":  # close every ring again
        verts = counts[-1]
        ends = np.cumsum(verts)
        coords = np.insert(coords, ends, coords[ends - verts], axis=0)
        counts[-1] = verts + 1
    offsets = tuple(np.concatenate(([0], np.cumsum(c))) for c in reversed(counts))
    geoms = shapely.from_ragged_array(_MULTI_TYPES[family], coords, offsets)
    single = shapely.get_num_geometries(geoms) == 1
    geoms[single] = shapely.get_geometry(geoms[single], 0)
    return feat, geoms


def decode_layer(payload: dict) -> gpd.GeoDataFrame:
    """The payload back as a lon/lat GeoDataFrame (geometries within the quantisation grid)."""
    n = payload["n"]
    pieces: list[list[shapely.Geometry]] = [[] for _ in range(n)]
    for family in _FAMILY_TYPES:
        if family in payload:
            feat, geoms = _decode_family(payload[family], family, n)
            for i, g in zip(feat.tolist(), geoms, strict=True):
                pieces[i].append(g)
    geometry = [p[0] if len(p) == 1 else (shapely.GeometryCollection(p) if p else None) for p in pieces]
    props = {name: decode_column(col, n) for name, col in payload["columns"].items()}
    return gpd.GeoDataFrame(props, geometry=geometry, crs=DISPLAY_CRS)
