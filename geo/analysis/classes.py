"""Classed colours for choropleth maps: class breaks, a colour-blind-safe palette, legend labels.

Breaks come from mapclassify (quantiles, natural breaks, equal interval). The palette is
ColorBrewer "YlGnBu" (sequential, colour-blind safe; Cynthia Brewer, colorbrewer2.org), in
its official 3- to 9-class variants. Legend labels show class ranges with German number
formatting ("0,0 – 1,5"), or English with ``lang="en"``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np

from geo.errors import GeoError

SCHEMES = ("quantiles", "natural_breaks", "equal_interval")
MIN_CLASSES, MAX_CLASSES = 2, 9
NO_DATA_COLOUR = "#d9d9d9"
_NATURAL_BREAKS_SEED = 0  # mapclassify's natural breaks run k-means from random starts

YLGNBU: dict[int, tuple[str, ...]] = {
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
    8: ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
    9: ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"),
}


@dataclass(frozen=True)
class Classes:
    """A classification: upper class bounds, legend labels, colours and each value's class."""

    bins: tuple[float, ...]
    labels: tuple[str, ...]
    colours: tuple[str, ...]
    classes: np.ndarray  # class index per input value, -1 where the value is missing
    requested: int = 0  # classes asked for; more than len(bins) when classes collapsed
    distinct: int = 0  # distinct values present

    @property
    def collapsed(self) -> str | None:
        """Why there are fewer classes than asked for: "distinct" (fewer distinct values than
        classes) or "ties" (many equal values, so class bounds coincide); None when not."""
        if len(self.bins) >= self.requested:
            return None
        return "distinct" if self.distinct < self.requested else "ties"

    def colour_of(self, index: int) -> str:
        """Fill colour for a class index (-1 → grey for "no data")."""
        return NO_DATA_COLOUR if index < 0 else self.colours[index]

    @property
    def value_colours(self) -> list[str]:
        """One fill colour per input value, for a GeoJSON style function."""
        return [self.colour_of(int(i)) for i in self.classes]


def palette(k: int) -> tuple[str, ...]:
    """`k` colours of YlGnBu, light to dark (1 and 2 classes take from the 3-class set)."""
    if k >= 3:
        return YLGNBU[min(k, MAX_CLASSES)]
    return (YLGNBU[3][1],) if k == 1 else (YLGNBU[3][0], YLGNBU[3][2])


def format_number(x: float, digits: int, lang: str = "de") -> str:
    """12345.6 → "12.345,6" (German) or "12,345.6" (English)."""
    text = f"{x:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "de" else text


def _digits(edges: np.ndarray) -> int:
    """Fewest decimals (none only for whole-number edges) that keep all class edges distinct."""
    whole = bool(np.all(edges == np.round(edges)))
    for digits in range(0 if whole else 1, 5):
        if len({round(float(e), digits) for e in edges}) == len(np.unique(edges)):
            return digits
    return 4


def _range_label(lo: float, hi: float, digits: int, lang: str) -> str:
    low, high = format_number(lo, digits, lang), format_number(hi, digits, lang)
    return low if low == high else f"{low} – {high}"


def _breaks(y: np.ndarray, scheme: str, k: int) -> np.ndarray:
    with warnings.catch_warnings():  # "not enough unique values": ties are handled by the caller
        warnings.simplefilter("ignore", UserWarning)
        return _mapclassify_bins(y, scheme, k)


def _mapclassify_bins(y: np.ndarray, scheme: str, k: int) -> np.ndarray:
    if scheme == "quantiles":
        return mapclassify.Quantiles(y, k=k).bins
    if scheme == "equal_interval":
        return mapclassify.EqualInterval(y, k=k).bins
    state = np.random.get_state()
    np.random.seed(_NATURAL_BREAKS_SEED)  # same map on every rerun
    try:
        return mapclassify.NaturalBreaks(y, k=k).bins
    finally:
        np.random.set_state(state)


def classify(
    values: object, scheme: str = "quantiles", k: int = 5, *, name: str = "", lang: str = "de"
) -> Classes:
    """Class breaks for `values` (NaN = no data) with `scheme` and at most `k` classes.

    Fewer classes result when there are fewer distinct values. `name` (the indicator's
    label) only goes into the message when no value is present.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, not {scheme!r}")
    if not MIN_CLASSES <= int(k) <= MAX_CLASSES:
        raise ValueError(f"k must be between {MIN_CLASSES} and {MAX_CLASSES}, not {k!r}")
    y = np.asarray(values, dtype=float)
    finite = np.isfinite(y)
    if not finite.any():
        raise GeoError("err.analysis_no_values", indicator=name or "?")
    distinct = np.unique(y[finite])
    requested, k = int(k), min(int(k), len(distinct))
    bins = distinct[-1:].copy() if k == 1 else np.unique(_breaks(y[finite], scheme, k))
    bins[-1] = max(bins[-1], distinct[-1])
    classes = np.full(len(y), -1, dtype=np.int64)
    classes[finite] = np.minimum(np.searchsorted(bins, y[finite], side="left"), len(bins) - 1)
    edges = np.concatenate([distinct[:1], bins])
    digits = _digits(edges)
    labels = tuple(_range_label(lo, hi, digits, lang) for lo, hi in zip(edges[:-1], edges[1:], strict=True))
    return Classes(
        tuple(float(b) for b in bins), labels, palette(len(bins)), classes, requested, len(distinct)
    )
