"""Search across municipality and feature names, tolerant of umlauts, ß and case.

"stassfurt" finds "Staßfurt", "schonebeck" and "schoenebeck" both find "Schönebeck".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import geopandas as gpd

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


# the combining diacritical marks blocks: what NFKD splits off letters (a regex, not a loop over
# characters: the table filter folds 10,997 rows of text at a time)
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _strip_marks(text: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> tuple[str, str]:
    """Two spellings of `text` to compare in: umlauts as ae/oe/ue, and umlauts stripped."""
    low = " ".join(str(text).casefold().split())  # casefold turns ß into ss
    return low.translate(_UMLAUTS), _strip_marks(low)


@dataclass(frozen=True)
class Hit:
    layer_id: str
    fid: int
    name: str
    layer_title: str
    kind: str
    lat: float
    lon: float
    rank: int  # 0: name starts with the query, 1: contains it


def build_index(layers: list[tuple[str, str, str, gpd.GeoDataFrame]]) -> list[tuple]:
    """Rows to search: (layer id, title, kind, display frame with fid/name in lon/lat)."""
    rows = []
    for layer_id, title, kind, frame in layers:
        points = frame.geometry.representative_point()
        for fid, name, pt in zip(frame["fid"], frame["name"], points, strict=True):
            if name:
                rows.append((fold(name), layer_id, int(fid), name, title, kind, pt.y, pt.x))
    return rows


def search(index: list[tuple], query: str, limit: int = 12) -> list[Hit]:
    """Hits for `query`, municipalities and name-prefix matches first."""
    q1, q2 = fold(query)
    if not q1.strip():
        return []
    hits = []
    for (f1, f2), layer_id, fid, name, title, kind, lat, lon in index:
        if q1 in f1 or q2 in f2 or q2 in f1:
            rank = 0 if f1.startswith(q1) or f2.startswith(q2) else 1
            hits.append(Hit(layer_id, fid, name, title, kind, lat, lon, rank))
    hits.sort(key=lambda h: (kind_order(h.kind), h.rank, h.name))
    return hits[:limit]


def kind_order(kind: str) -> int:
    return 0 if kind == "municipalities" else 1
