"""Participation rounds ("Beteiligung"): citizens pin ideas on a map, planners evaluate them.

Pure rules and evaluation; storage is the store's `geo.store.RoundStore`. A contribution holds
a place, a category, a short text, a time and a salted hash of a random device token, and
nothing else: no name, no e-mail, no IP address. All user text is untrusted: it is cleaned
of control characters here and escaped (or shown as plain text) wherever it is displayed.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import clock
from geo.analysis.indicators import count_in_municipalities, metric_crs, prepare_municipalities
from geo.clock import LOCAL_TZ
from geo.errors import GeoError

MAX_TEXT = 280  # characters: a tweet, readable on a projector
MAX_TEXT_LIMIT = 2000
MAX_CATEGORIES = 12
MAX_CATEGORY_CHARS = 60
MAX_QUESTION_CHARS = 200
DEFAULT_RATE_LIMIT = 5  # contributions per device ...
DEFAULT_RATE_WINDOW_MIN = 10  # ... within this many minutes
DEFAULT_CAP = 1000  # contributions per round
MODERATION_ACTIONS = ("hide", "unhide", "delete")
_MODERATION_FLAGS = {"hide": (1, 0), "unhide": (0, 0), "delete": (1, 1)}  # (hidden, deleted)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_ROUND_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def iso(at: datetime) -> str:
    """UTC ISO text with milliseconds: sortable as text in SQLite."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds")


def local_text(at: datetime) -> str:
    """'22.11.2026, 18:30 Uhr'-style local time for messages."""
    return at.astimezone(LOCAL_TZ).strftime("%d.%m.%Y %H:%M")


def clean_text(value: object) -> str:
    """NFC, no control or bidi-override characters (newlines kept), trimmed."""
    text = unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def valid_round_id(round_id: object) -> bool:
    return bool(_ROUND_ID.fullmatch(str(round_id)))


@dataclass(frozen=True)
class Round:
    """A participation round: the question, its categories, where and when people may answer."""

    id: str
    question: str
    categories: tuple[str, ...]
    bbox: tuple[float, float, float, float]  # lon/lat: minx, miny, maxx, maxy
    start: datetime  # aware
    end: datetime
    max_text: int = MAX_TEXT
    rate_limit: int = DEFAULT_RATE_LIMIT
    rate_window_min: int = DEFAULT_RATE_WINDOW_MIN
    cap: int = DEFAULT_CAP
    closed: bool = False
    created_at: str = ""
    created_by: str = ""
    layer_id: str = ""

    def status(self, now: datetime | None = None) -> str:
        """ "closed" by a planner, else "planned", "open" or "ended" by the clock."""
        now = now or clock.now()
        if self.closed:
            return "closed"
        if now < self.start:
            return "planned"
        return "ended" if now >= self.end else "open"

    def contains(self, lon: float, lat: float) -> bool:
        minx, miny, maxx, maxy = self.bbox
        return minx <= lon <= maxx and miny <= lat <= maxy


@dataclass(frozen=True)
class Contribution:
    """One pinned idea. `device` is a salted hash, never shown or exported."""

    id: int
    round_id: str
    lon: float
    lat: float
    category: str
    text: str
    created_at: str
    device: str
    support: int = 0
    hidden: bool = False
    deleted: bool = False
    reason: str = ""

    @property
    def visible(self) -> bool:
        return not (self.hidden or self.deleted)


def new_round(
    question: str,
    categories: list[str] | tuple[str, ...],
    bbox: tuple[float, float, float, float],
    start: datetime,
    end: datetime,
    **limits: int,
) -> Round:
    """A checked round (id empty until stored); every wrong input is a `GeoError` to show."""
    question = clean_text(question)
    if not question:
        raise GeoError("err.part_question_empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise GeoError("err.part_question_too_long", limit=MAX_QUESTION_CHARS)
    cats = tuple(dict.fromkeys(c for c in (clean_text(c) for c in categories) if c))
    if not cats or len(cats) > MAX_CATEGORIES or any(len(c) > MAX_CATEGORY_CHARS for c in cats):
        raise GeoError("err.part_categories", limit=MAX_CATEGORIES, chars=MAX_CATEGORY_CHARS)
    box = tuple(float(v) for v in bbox)
    lon_ok = -180 <= box[0] < box[2] <= 180
    if not (all(math.isfinite(v) for v in box) and lon_ok and -90 <= box[1] < box[3] <= 90):
        raise GeoError("err.part_bad_extent")
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    if end <= start:
        raise GeoError("err.part_bad_period", start=local_text(start), end=local_text(end))
    rnd = Round("", question, cats, box, start.astimezone(UTC), end.astimezone(UTC), **limits)
    if not (1 <= rnd.max_text <= MAX_TEXT_LIMIT and rnd.rate_limit >= 1 and rnd.rate_window_min >= 1):
        raise GeoError("err.part_bad_limits", max_text=MAX_TEXT_LIMIT)
    if rnd.cap < 1:
        raise GeoError("err.part_bad_limits", max_text=MAX_TEXT_LIMIT)
    return rnd


def check_open(rnd: Round, now: datetime) -> None:
    """Refuse contributions and "+1" outside the round's time or after a planner closed it."""
    status = rnd.status(now)
    if status == "closed":
        raise GeoError("err.part_closed")
    if status == "planned":
        raise GeoError("err.part_not_started", start=local_text(rnd.start))
    if status == "ended":
        raise GeoError("err.part_ended", end=local_text(rnd.end))


def check_contribution(
    rnd: Round, lon: object, lat: object, category: object, text: object, now: datetime
) -> tuple[float, float, str, str]:
    """The cleaned (lon, lat, category, text), or the reason for refusing it."""
    check_open(rnd, now)
    try:
        x, y = float(lon), float(lat)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise GeoError("err.part_no_location") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise GeoError("err.part_no_location")
    if not rnd.contains(x, y):
        raise GeoError("err.part_outside_extent")
    cat = clean_text(category)
    if cat not in rnd.categories:
        raise GeoError("err.part_unknown_category", category=cat, allowed=", ".join(rnd.categories))
    body = clean_text(text)
    if not body:
        raise GeoError("err.part_text_empty")
    if len(body) > rnd.max_text:
        raise GeoError("err.part_text_too_long", length=len(body), limit=rnd.max_text)
    return x, y, cat, body


def check_quota(rnd: Round, by_device_recent: int, in_round: int) -> None:
    """Per-device rate limit and per-round cap (counts taken inside the writing transaction)."""
    if in_round >= rnd.cap:
        raise GeoError("err.part_cap_reached", cap=rnd.cap)
    if by_device_recent >= rnd.rate_limit:
        raise GeoError("err.part_rate_limit", limit=rnd.rate_limit, minutes=rnd.rate_window_min)


DEVICE_COOKIE = "sr_device"  # the browser's random device token (Streamlit page and phone page)
DEVICE_COOKIE_MAX_AGE_S = 365 * 24 * 3600
_DEVICE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def valid_device_token(value: object) -> bool:
    """A token this app could have issued (random URL-safe text); anything else is replaced."""
    return isinstance(value, str) and bool(_DEVICE_TOKEN.fullmatch(value))


def moderation_flags(action: str) -> tuple[int, int]:
    """(hidden, deleted) after `action`; actions come from buttons, so a wrong one is a bug."""
    if action not in _MODERATION_FLAGS:
        raise ValueError(f"unknown moderation action {action!r}; allowed: {MODERATION_ACTIONS}")
    return _MODERATION_FLAGS[action]


def device_hash(salt: str, token: str) -> str:
    """Keyed hash of a device token: per round, so devices cannot be linked across rounds."""
    return hmac.new(salt.encode(), str(token).encode(), hashlib.sha256).hexdigest()[:32]


# --- evaluation ------------------------------------------------------------------------------

FRAME_COLUMNS = ("id", "category", "text", "support", "created_at", "status")


def contributions_frame(items: list[Contribution]) -> gpd.GeoDataFrame:
    """Contributions as points in EPSG:4326, without device hashes (for tables and exports)."""
    status = ["gelöscht" if c.deleted else "ausgeblendet" if c.hidden else "sichtbar" for c in items]
    data = {
        "id": [c.id for c in items],
        "category": [c.category for c in items],
        "text": [c.text for c in items],
        "support": [c.support for c in items],
        "created_at": [c.created_at for c in items],
        "status": status,
    }
    geometry = gpd.points_from_xy([c.lon for c in items], [c.lat for c in items], crs="EPSG:4326")
    frame = gpd.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")
    return frame.astype({"id": "int64", "support": "int64"})


def category_counts(frame: gpd.GeoDataFrame, categories: tuple[str, ...]) -> pd.DataFrame:
    """Contributions and support per category, every category of the round listed (zeros too)."""
    grouped = frame.groupby("category")["support"].agg(["size", "sum"])
    order = list(categories) + sorted(set(grouped.index) - set(categories))
    out = grouped.reindex(order, fill_value=0).rename(columns={"size": "count", "sum": "support"})
    out.index.name = "category"
    return out.astype("int64").reset_index()


def most_supported(frame: gpd.GeoDataFrame, n: int = 5) -> pd.DataFrame:
    """The `n` contributions with most "+1", older first among equals."""
    ordered = frame.sort_values(["support", "id"], ascending=[False, True])
    return pd.DataFrame(ordered[["id", "category", "text", "support"]].head(n)).reset_index(drop=True)


def municipality_counts(
    frame: gpd.GeoDataFrame, munis: gpd.GeoDataFrame, roles: dict[str, str], categories: tuple[str, ...]
) -> pd.DataFrame:
    """Contributions per municipality (spatial join), one column per category and a total."""
    wide = count_in_municipalities(munis, frame, roles, by="category")
    wide = wide.reindex(columns=list(categories) + sorted(set(wide.columns) - set(categories)), fill_value=0)
    names = prepare_municipalities(munis, roles).set_index("key")["name"]
    out = wide.assign(total=wide.sum(axis=1).astype("int64"))
    out.insert(0, "name", names.reindex(out.index).to_numpy())
    return out.sort_values(["total", "name"], ascending=[False, True]).reset_index()


def density_grid(
    frame: gpd.GeoDataFrame, extent: tuple[float, float, float, float] | None = None, cells_across: int = 24
) -> gpd.GeoDataFrame:
    """A "heat map" without plugins: square cells (metric) counting contributions, non-empty only.

    The cell size follows the round's `extent` (lon/lat), else the contributions' spread, so
    a round keeps one grid while contributions arrive. Returned in EPSG:4326 with ``count``
    and ``cell_m`` (edge length in metres).
    """
    if frame.empty:
        return gpd.GeoDataFrame({"count": [], "cell_m": []}, geometry=[], crs="EPSG:4326")
    crs = metric_crs(frame)
    metric = frame.to_crs(crs)
    if extent is not None:
        bounds = gpd.GeoSeries([shapely.box(*extent)], crs="EPSG:4326").to_crs(crs).total_bounds
    else:
        bounds = metric.total_bounds
    span = max(bounds[2] - bounds[0], bounds[3] - bounds[1], 1.0)
    cell = float(max(100, round(span / cells_across, -2)))  # metres, rounded to 100 m
    xs, ys = metric.geometry.x.to_numpy(), metric.geometry.y.to_numpy()
    ix, iy = np.floor(xs / cell).astype(np.int64), np.floor(ys / cell).astype(np.int64)
    counts = pd.DataFrame({"ix": ix, "iy": iy}).value_counts().reset_index(name="count")
    x0, y0 = counts["ix"] * cell, counts["iy"] * cell
    grid = gpd.GeoDataFrame(
        {"count": counts["count"].astype("int64"), "cell_m": cell},
        geometry=shapely.box(x0, y0, x0 + cell, y0 + cell),
        crs=crs,
    )
    return grid.to_crs("EPSG:4326")


def export_frame(frame: gpd.GeoDataFrame, include_moderated: bool = False) -> gpd.GeoDataFrame:
    """What a planner downloads: German column names, visible contributions unless asked otherwise."""
    rows = frame if include_moderated else frame[frame["status"] == "sichtbar"]
    renamed = rows.rename(
        columns={"category": "kategorie", "support": "unterstuetzung", "created_at": "erstellt_utc"}
    )
    columns = ["id", "kategorie", "text", "unterstuetzung", "erstellt_utc"]
    if include_moderated:
        columns.append("status")
    return gpd.GeoDataFrame(renamed[columns], geometry=renamed.geometry, crs=frame.crs).reset_index(drop=True)


def layer_frame(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, dict[str, str]]:
    """A closed round's visible contributions as a normal layer, with its column roles."""
    out = export_frame(frame)
    if out.empty:
        raise GeoError("err.part_no_contributions")
    return out, {"name": "text", "category": "kategorie"}
