"""Fast page tests with Streamlit's AppTest: every page runs without an exception."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.demo import build_demo
from geo.store import open_store

pytestmark = pytest.mark.dated


@pytest.fixture
def demo_env(tmp_path, monkeypatch):
    data = tmp_path / "data"
    build_demo(open_store(str(data)))
    monkeypatch.setenv("SMART_REGION_DATA", str(data))
    return data


def run(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def test_map_page_runs_in_german_and_english(demo_env):
    at = run({"basemap": "none"})
    assert not at.exception and not at.error
    assert at.title[0].value == "Smart-Region Geodaten-Dashboard"
    assert any("Gemeinden Salzlandkreis (21 Objekte)" in c.label for c in at.checkbox)
    at = run({"basemap": "none", "lang": "en"})
    assert not at.exception and not at.error
    assert at.title[0].value == "Smart-Region Geodata Dashboard"


def test_map_page_empty_store_says_what_to_do(tmp_path, monkeypatch):
    # a store that holds only a deleted layer: the demo is not rebuilt, the page explains
    data = tmp_path / "data"
    store = open_store(str(data))
    info = build_demo(store)[0]
    for layer in store.list_layers():
        store.delete(layer.id)
    monkeypatch.setenv("SMART_REGION_DATA", str(data))
    at = run()
    assert not at.exception
    assert any("python -m geo" in i.value for i in at.info), info.id


def test_bad_query_parameters_are_ignored(demo_env):
    at = run(
        {"lat": "nan", "z": "999", "sel": "../x:1", "cat": "{bad json", "von": "kein-datum", "layers": "<x>"}
    )
    assert not at.exception and not at.error


def test_events_lists_count_what_the_timeline_shows(demo_env):
    """ "Vergangene (n)" and "Kommende (n)" count every event, as the timeline above does."""
    from geo import clock
    from geo.events.schedule import event_table, split_upcoming

    store = open_store(str(demo_env))
    info = next(i for i in store.list_layers() if i.kind == "events")
    upcoming, past = split_upcoming(event_table(store.read(info.id), info), clock.now())
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.query_params["basemap"] = "none"
    at.run()
    at.switch_page("pages/events.py")
    at.run()
    assert not at.exception and not at.error
    labels = [tab.label for tab in at.tabs]
    assert labels == [f"Kommende ({len(upcoming)})", f"Vergangene ({len(past)})"] and len(past) > 0


def test_municipality_filter_sends_only_chosen_and_matches(demo_env):
    """The filter offers what was typed (≤ 20 matches), not every name; the URL restores it."""
    at = run({"basemap": "none"})
    assert at.multiselect(key="filter_munis").options == []  # nothing chosen: no names sent
    at.text_input(key="filter_munis_query").input("burg").run()
    matches = at.selectbox(key="filter_munis_match")
    assert 0 < len(matches.options) <= 20 and all("burg" in o.lower() for o in matches.options)
    munis = next(i for i in open_store(str(demo_env)).list_layers() if i.kind == "municipalities")
    gdf = open_store(str(demo_env)).read(munis.id)
    bernburg = str(gdf.loc[gdf["GEN"].str.startswith("Bernburg"), munis.roles["key"]].iloc[0])
    matches.select(bernburg).run()
    chosen = at.multiselect(key="filter_munis")
    assert chosen.options == ["Bernburg (Saale)"] and chosen.value == [bernburg] and not at.exception
    assert bernburg not in at.selectbox(key="filter_munis_match").options  # chosen: no match any more
    assert bernburg in str(at.query_params["gem"])
    again = run({"basemap": "none", "gem": bernburg})
    assert again.multiselect(key="filter_munis").value == [bernburg]
    at.text_input(key="filter_munis_query").input("qqqnirgends").run()
    assert not at.exception and any("qqqnirgends" in c.value for c in at.caption)


def test_table_sends_nothing_until_opened(demo_env):
    at = run({"basemap": "none"})
    assert not at.dataframe and not at.exception
