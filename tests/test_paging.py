"""Table pages and type-ahead matches, computed on the server (geo.maps.paging)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.maps.paging import filter_rows, find_options, sort_rows, table_page


@pytest.fixture
def frame() -> pd.DataFrame:
    names = [f"Ort {i:03d}" for i in range(120)] + ["Staßfurt", "Döbeln", None]
    return pd.DataFrame({"Name": names, "Einwohner": [*range(120), 900, None, 5]})


def test_pages_of_fifty_cover_every_row_once(frame):
    pages = [table_page(frame, page=p) for p in (1, 2, 3)]
    assert [p.pages for p in pages] == [3, 3, 3]
    assert [len(p.rows) for p in pages] == [50, 50, 23]
    assert pd.concat([p.rows for p in pages]).index.tolist() == frame.index.tolist()
    assert all(p.total == 123 for p in pages)


def test_page_number_is_clamped_to_the_pages_there_are(frame):
    assert table_page(frame, page=99).page == 3
    assert table_page(frame, page=0).page == 1
    nothing = table_page(frame, text="kein Treffer", page=4)
    assert (nothing.page, nothing.pages, nothing.total, len(nothing.rows)) == (1, 1, 0, 0)


def test_filter_finds_text_in_any_column_folded(frame):
    assert filter_rows(frame, "STASSFURT")["Name"].tolist() == ["Staßfurt"]
    assert filter_rows(frame, "dobeln")["Name"].tolist() == ["Döbeln"]
    assert filter_rows(frame, "900")["Name"].tolist() == ["Staßfurt"]
    assert len(filter_rows(frame, "  ")) == len(frame)


def test_sort_before_paging_over_all_rows_missing_last(frame):
    first = table_page(frame, sort="Einwohner", descending=True)
    assert first.rows["Einwohner"].iloc[0] == 900
    last = table_page(frame, sort="Einwohner", descending=True, page=3)
    assert pd.isna(last.rows["Einwohner"].iloc[-1])
    by_name = sort_rows(frame, "Name")
    assert by_name["Name"].iloc[0] == "Döbeln" and pd.isna(by_name["Name"].iloc[-1])


def test_sort_of_text_as_read_and_mixed_types_as_text():
    mixed = pd.DataFrame({"x": ["Zeitz", 2, "Ärzte", None, "arzt"]})
    assert sort_rows(mixed, "x")["x"].tolist()[:4] == [2, "arzt", "Ärzte", "Zeitz"]


def test_sort_by_unknown_column_keeps_order(frame):
    assert sort_rows(frame, "nope").index.tolist() == frame.index.tolist()


def test_matches_start_with_the_text_first_at_most_limit():
    names = {"1": "Neustadt", "2": "Bad Neustadt", "3": "Neuss", "4": "Staßfurt", "5": "Altneu"}
    keys, total = find_options(names, "neu")
    assert [names[k] for k in keys] == ["Neuss", "Neustadt", "Altneu", "Bad Neustadt"]
    assert total == 4
    assert find_options(names, "neu", limit=2) == (["3", "1"], 4)
    assert find_options(names, "neu", exclude=["3"])[0] == ["1", "5", "2"]
    assert find_options(names, "stassfurt") == (["4"], 1)
    assert find_options(names, " ") == ([], 0)
    assert find_options({"1": "Schönebeck (Elbe)"}, "schoenebeck") == (["1"], 1)  # as the search spells


def test_search_fold_spells_umlauts_both_ways_and_strips_marks():
    from geo.maps.search import fold

    assert fold("Schönebeck  (Elbe)") == ("schoenebeck (elbe)", "schonebeck (elbe)")
    assert fold("STAẞFURT")[1] == "stassfurt" and fold("Crème")[1] == "creme"


def _table_app() -> None:
    import pandas as pd

    from webui.lists import paged_table

    names = [f"Ort {i:03d}" for i in range(120)] + ["Staßfurt", "Döbeln", "Zeitz"]
    paged_table(pd.DataFrame({"Name": names, "n": range(123)}), "t")


def test_paged_table_sends_one_page_and_works_on_the_server():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_table_app, default_timeout=60).run()
    assert len(at.dataframe[0].value) == 50 and not at.exception
    assert any(c.value == "Seite 1 von 3" for c in at.caption)
    at.number_input(key="t_page").set_value(3).run()
    assert len(at.dataframe[0].value) == 23 and any(c.value == "Seite 3 von 3" for c in at.caption)
    at.text_input(key="t_filter").input("stassfurt").run()  # a new filter starts on page 1
    assert at.dataframe[0].value["Name"].tolist() == ["Staßfurt"] and at.number_input(key="t_page").value == 1
    at.text_input(key="t_filter").input("").run()
    at.selectbox(key="t_sort").select("n").run()
    at.checkbox(key="t_desc").check().run()
    assert at.dataframe[0].value["n"].tolist()[:2] == [122, 121] and not at.exception
