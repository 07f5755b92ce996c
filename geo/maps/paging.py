"""Long lists shown a piece at a time: a table page and type-ahead matches, done on the server.

A page sends only what the user looks at: a table of 10,997 Gemeinden is 50 rows at a time
(sorted and filtered over all of them here), a filter of 10,997 names offers the 20 that match
what was typed. Pure functions on frames and dicts, tested without a browser.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

PAGE_SIZE = 50
MATCHES = 20


@dataclass(frozen=True)
class TablePage:
    rows: pd.DataFrame  # the rows of this page, in order
    total: int  # rows that pass the filter (all pages)
    page: int  # 1-based, within 1..pages
    pages: int  # at least 1, also when nothing passes


def folded(text: object) -> str:
    """Text as a search compares it: lower case, accents off, ß as ss ("Döbeln" ~ "dobeln")."""
    plain = unicodedata.normalize("NFKD", str(text).casefold().replace("ß", "ss"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def filter_rows(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows where any cell contains `text` (folded); all rows for blank text."""
    needle = folded(text.strip())
    if not needle or frame.empty:
        return frame
    hit = pd.Series(False, index=frame.index)
    for col in frame.columns:
        cells = frame[col].map(lambda v: "" if v is None or v is pd.NA else folded(v))
        hit |= cells.str.contains(needle, regex=False)
    return frame[hit]


def sort_rows(frame: pd.DataFrame, column: str | None, descending: bool = False) -> pd.DataFrame:
    """Stably sorted by `column`, missing values last; text as people read it ("Ärzte" beside
    "Arzt", not after "Z"), numbers among text as text."""
    if column is None or column not in frame.columns:
        return frame
    values = frame[column]
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)):
        values = values.map(lambda v: None if pd.isna(v) else folded(v))
    order = values.sort_values(ascending=not descending, kind="stable", na_position="last")
    return frame.loc[order.index]


def table_page(
    frame: pd.DataFrame,
    sort: str | None = None,
    descending: bool = False,
    text: str = "",
    page: int = 1,
    size: int = PAGE_SIZE,
) -> TablePage:
    """Filter by `text`, sort by `sort`, then page `page` of `size` rows (clamped to the pages
    there are)."""
    rows = sort_rows(filter_rows(frame, text), sort, descending)
    pages = max(1, math.ceil(len(rows) / size))
    page = min(max(1, int(page)), pages)
    return TablePage(rows.iloc[(page - 1) * size : page * size], len(rows), page, pages)


def find_options(
    names: Mapping[str, str], text: str, exclude: Iterable[str] = (), limit: int = MATCHES
) -> tuple[list[str], int]:
    """Keys of at most `limit` names containing `text` (folded), names starting with it first,
    then alphabetically, and how many matched in all; none for blank text. Keys in `exclude`
    (chosen already) are left out."""
    needle = folded(text.strip())
    if not needle:
        return [], 0
    skip = set(exclude)
    hits = []
    for key, name in names.items():
        where = folded(name).find(needle)
        if where >= 0 and key not in skip:
            hits.append((where > 0, folded(name), key))
    return [key for *_, key in sorted(hits)[:limit]], len(hits)
