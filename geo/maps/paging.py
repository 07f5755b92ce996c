"""Long lists shown a piece at a time: a table page and type-ahead matches, done on the server.

A page sends only what the user looks at: a table of 10,997 Gemeinden is 50 rows at a time
(sorted and filtered over all of them here), a filter of 10,997 names offers the 20 that match
what was typed (matched as the map's search matches). Pure functions, tested without a browser.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from geo.maps.search import fold

PAGE_SIZE = 50
MATCHES = 20


@dataclass(frozen=True)
class TablePage:
    rows: pd.DataFrame  # the rows of this page, in order
    total: int  # rows that pass the filter (all pages)
    page: int  # 1-based, within 1..pages
    pages: int  # at least 1, also when nothing passes


def _matcher(text: str):
    """A test for cell text containing `text` as `geo.maps.search` matches (umlauts as ae/oe/ue
    or stripped, ß as ss, any case); None for blank text."""
    q1, q2 = fold(text.strip())
    if not q1:
        return None
    return lambda value: (lambda f1, f2: q1 in f1 or q2 in f2 or q2 in f1)(*fold(value))


def filter_rows(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows where any cell contains `text`; all rows for blank text. A row's cells are folded
    as one text (a column at a time took seconds for 10,997 rows)."""
    hit_in = _matcher(text)
    if hit_in is None or frame.empty:
        return frame
    cells = frame.astype(object).where(frame.notna(), "").astype(str)
    return frame[[hit_in("\x1f".join(row)) for row in cells.itertuples(index=False, name=None)]]


def sort_rows(frame: pd.DataFrame, column: str | None, descending: bool = False) -> pd.DataFrame:
    """Stably sorted by `column`, missing values last; text as people read it ("Ärzte" beside
    "Arzt", not after "Z"), numbers among text as text."""
    if column is None or column not in frame.columns:
        return frame
    values = frame[column]
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)):
        values = values.map(lambda v: fold(v)[1], na_action="ignore")
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
    hit_in, (q1, q2) = _matcher(text), fold(text.strip())
    if hit_in is None:
        return [], 0
    skip, hits = set(exclude), []
    for key, name in names.items():
        if key not in skip and hit_in(name):
            f1, f2 = fold(name)
            hits.append((not (f1.startswith(q1) or f2.startswith(q2)), f2, key))
    return [key for *_, key in sorted(hits)[:limit]], len(hits)
