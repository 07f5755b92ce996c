"""Long lists on a page without sending them whole: paged tables and choices found by typing.

Streamlit sends every row of a ``st.dataframe`` and every option of a select box with the page,
asked for or not (10,997 Gemeinden: megabytes). These widgets send one page of rows, or the
chosen keys and at most 20 matches of what was typed; the work is `geo.maps.paging`'s.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from geo.maps.paging import PAGE_SIZE, find_options, table_page
from webui.common import tr, tr_md


def paged_table(frame: pd.DataFrame, key: str, column_config: dict | None = None, **options) -> None:
    """`frame` as a table; longer than a page: one page at a time, with a text filter, a sort
    column and direction and a page number (each keyed `key_…`), all applied on the server."""
    if len(frame) <= PAGE_SIZE:
        st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config, **options)
        return
    labels = {c: str((column_config or {}).get(c, {}).get("label") or c) for c in frame.columns}
    state, first_page = st.session_state, lambda: state.update({f"{key}_page": 1})
    text_col, sort_col, down_col = st.columns([2, 2, 1], vertical_alignment="bottom")
    text = text_col.text_input(
        tr("ui.table.filter"),
        key=f"{key}_filter",
        placeholder=tr("ui.table.filter_hint"),
        on_change=first_page,
    )
    if state.get(f"{key}_sort") not in labels:  # another layer, other columns
        state[f"{key}_sort"] = None
    sort = sort_col.selectbox(
        tr("ui.table.sort"), [None, *frame.columns], key=f"{key}_sort", on_change=first_page,
        format_func=lambda c: tr("ui.table.unsorted") if c is None else labels[c],
    )  # fmt: skip
    descending = down_col.checkbox(tr("ui.table.descending"), key=f"{key}_desc", on_change=first_page)
    shown = table_page(frame, sort, descending, text, state.get(f"{key}_page", 1))
    state[f"{key}_page"] = shown.page  # within the pages there are now
    if text.strip():
        st.caption(tr("ui.table.matching", n=shown.total))
    st.dataframe(shown.rows, hide_index=True, width="stretch", column_config=column_config, **options)
    page_col, of_col = st.columns([1, 3], vertical_alignment="bottom")
    page_col.number_input(tr("ui.table.page"), min_value=1, max_value=shown.pages, step=1, key=f"{key}_page")
    of_col.caption(tr("ui.table.page_of", page=shown.page, pages=shown.pages))


def choose_by_typing(names: dict[str, str], start: tuple[str, ...], key: str, label: str) -> tuple[str, ...]:
    """Several keys of many: a search field whose matches add one, and a multiselect of only
    the chosen ones (shown by name); `start` (from the URL) is the choice of a new session."""
    state = st.session_state
    state[key] = [k for k in state.get(key, start) if k in names]

    def add(picked: str) -> None:
        state[key] = [*state.get(key, []), picked]

    _matches(st.sidebar, names, key, state[key], add)
    chosen = st.sidebar.multiselect(
        label, state[key], key=key, format_func=names.get, placeholder=tr("ui.filter_none_chosen")
    )
    return tuple(chosen)


def pick_by_typing(names: dict[str, str], key: str, label: str) -> str:
    """One key of many, kept by its name in the URL parameter `key` (links stay readable): a
    search field, and a select box of the current one and the matches of what was typed; the
    first of `names` until someone picks."""
    state, by_name = st.session_state, {name: k for k, name in names.items()}
    url = st.query_params.get(key)
    current = state.get(key) or by_name.get(url) or (url if url in names else None)
    current = current if current in names else next(iter(names))
    query = _search_field(st, key)
    hits, total = find_options(names, query, exclude=[current])
    state[key] = current
    chosen = st.selectbox(label, [current, *hits], key=key, format_func=names.get)
    _match_note(st, query, len(hits), total)
    st.query_params[key] = names[chosen]
    return chosen


def _matches(where, names: dict[str, str], key: str, chosen: list[str], take: Callable[[str], None]) -> None:
    """The search field of `key` and, once something was typed, a select box of its matches
    (at most 20, the chosen left out); picking one calls `take`. The search stays, so several
    alike names ("Neustadt …") are added one after another."""
    state, match_key = st.session_state, f"{key}_match"

    def taken() -> None:
        if picked := state.get(match_key):
            take(picked)
            state[match_key] = None

    query = _search_field(where, key)
    hits, total = find_options(names, query, exclude=chosen)
    if hits:
        where.selectbox(
            tr("ui.filter_matches"), hits, index=None, key=match_key, format_func=names.get,
            on_change=taken, placeholder=tr("ui.filter_add"),
        )  # fmt: skip
    _match_note(where, query, len(hits), total, chosen=not hits and bool(find_options(names, query)[1]))


def _search_field(where, key: str) -> str:
    return where.text_input(
        tr("ui.filter_find"), key=f"{key}_query", placeholder=tr("ui.filter_find_hint"), max_chars=80
    )


def _match_note(where, query: str, shown: int, total: int, chosen: bool = False) -> None:
    """What the matches leave out: more than are listed, or nothing at all (unless every match
    is `chosen` already)."""
    if total > shown:
        where.caption(tr("ui.filter_more", shown=shown, total=total))
    elif query.strip() and not total:
        where.caption(tr_md("ui.filter_all_chosen" if chosen else "ui.filter_no_match", query=query))
