"""Events: Berlin times from roles, upcoming/past, months, timeline, escaped HTML, iCalendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import geopandas as gpd
import pandas as pd
import pytest
from icalendar import Calendar
from shapely.geometry import Point

from geo.demo import build_demo
from geo.events.ical import event_uid, to_ical
from geo.events.schedule import (
    by_month,
    event_html,
    event_table,
    in_period,
    period_bounds,
    split_upcoming,
    timeline,
    timeline_chart,
    when_text,
)
from geo.store import LayerInfo

BERLIN = ZoneInfo("Europe/Berlin")
XSS = "<img src=x onerror=alert(1)>"
NOW = datetime(2025, 3, 12, 12, 0, tzinfo=BERLIN)


def info_for(roles: dict[str, str], layer_id: str = "termine") -> LayerInfo:
    return LayerInfo(
        id=layer_id, title="Termine", kind="events", source_file="t.gpkg", source_crs="EPSG:4326",
        feature_count=0, bbox=(11, 51, 12, 52), attribution="", created_at="", updated_at="", version=1,
        geometry_type="Point", roles=roles,
    )  # fmt: skip


ROLES = {"name": "titel", "category": "typ", "start": "beginn", "end": "ende"}


def layer(rows: list[tuple]) -> gpd.GeoDataFrame:
    """rows: (titel, typ, beginn, ende, ort, veranstalter, link)."""
    cols = ["titel", "typ", "beginn", "ende", "ort", "veranstalter", "link"]
    df = pd.DataFrame(rows, columns=cols)
    return gpd.GeoDataFrame(
        df, geometry=[Point(11.5 + i / 100, 51.8) for i in range(len(df))], crs="EPSG:4326"
    )


@pytest.fixture
def sample() -> gpd.GeoDataFrame:
    return layer(
        [
            ("Sommerfest", "Fest", datetime(2025, 7, 5, 15), datetime(2025, 7, 5, 22), "Markt", "Stadt", ""),
            ("Winterforum", "Forum", datetime(2025, 1, 20, 18), datetime(2025, 1, 20, 20), "Rathaus", "", ""),
            ("Laufend", "Workshop", datetime(2025, 3, 11, 9), datetime(2025, 3, 13, 17), "Schule", "", ""),
            ("März-Treff", "Forum", datetime(2025, 3, 20, 18), None, "Bibliothek", "", "https://example.org"),
            ("Ohne Datum", "Forum", None, None, "", "", ""),
            ("Gestern", "Forum", datetime(2025, 3, 11, 18), datetime(2025, 3, 11, 20), "", "", ""),
        ]
    )


def test_event_table_berlin_times_sorted_and_positional_fids(sample):
    events = event_table(sample, info_for(ROLES))
    assert list(events["title"]) == ["Winterforum", "Laufend", "Gestern", "März-Treff", "Sommerfest"]
    assert list(events["fid"]) == [1, 2, 5, 3, 0]  # row positions, as in the map's display frame
    assert str(events["start"].dt.tz) == "Europe/Berlin"
    summer = events.set_index("title").loc["Sommerfest"]
    assert summer["start"] == pd.Timestamp("2025-07-05 15:00", tz=BERLIN)
    assert summer["start"].utcoffset() == timedelta(hours=2)  # naive values are local (summer) time
    assert pd.isna(events.set_index("title").loc["März-Treff", "end"])
    assert summer["venue"] == "Markt" and summer["organiser"] == "Stadt"
    assert events.crs == "EPSG:4326" and abs(summer["lon"] - 11.5) < 1e-9


def test_event_table_reads_text_and_aware_times():
    gdf = layer(
        [
            ("A", "x", "31.12.2025 18:00", "31.12.2025 20:00", "", "", ""),
            ("B", "x", "2025-06-01T10:00:00+00:00", "", "", "", ""),
            ("C", "x", "kein Datum", "", "", "", ""),
            ("D", "x", "2025-05-02 09:00", "2025-05-01 09:00", "", "", ""),  # end before start: no end
        ]
    )
    events = event_table(gdf, info_for(ROLES)).set_index("title")
    assert list(events.index) == ["D", "B", "A"]
    assert events.loc["A", "start"] == pd.Timestamp("2025-12-31 18:00", tz=BERLIN)  # day first
    assert events.loc["B", "start"] == pd.Timestamp("2025-06-01 12:00", tz=BERLIN)  # UTC → Berlin
    assert pd.isna(events.loc["D", "end"])


def test_event_table_without_start_role_is_empty(sample):
    assert event_table(sample, info_for({"name": "titel"})).empty


def test_split_upcoming_and_past_with_fixed_now(sample):
    upcoming, past = split_upcoming(event_table(sample, info_for(ROLES)), NOW)
    assert list(upcoming["title"]) == ["Laufend", "März-Treff", "Sommerfest"]  # running counts as upcoming
    assert list(past["title"]) == ["Gestern", "Winterforum"]  # newest first


def test_by_month_labels_in_german_and_english(sample):
    events = event_table(sample, info_for(ROLES))
    groups = by_month(events, "de")
    assert [(label, len(g)) for label, g in groups] == [
        ("Januar 2025", 1),
        ("März 2025", 3),
        ("Juli 2025", 1),
    ]
    assert [label for label, _ in by_month(events, "en")] == ["January 2025", "March 2025", "July 2025"]
    _, past = split_upcoming(events, NOW)
    assert [label for label, _ in by_month(past)] == ["März 2025", "Januar 2025"]  # keeps the given order


def test_in_period_is_overlap_of_whole_days(sample):
    events = event_table(sample, info_for(ROLES))
    chosen = events[in_period(events, date(2025, 3, 13), date(2025, 3, 20))]
    assert list(chosen["title"]) == ["Laufend", "März-Treff"]  # ends on the 13th, starts on the 20th
    assert in_period(events, None, None).all()
    assert period_bounds(events, date(2025, 3, 12)) == (date(2025, 1, 20), date(2025, 7, 5))
    assert period_bounds(events.iloc[:0], date(2025, 3, 12)) == (date(2025, 3, 12), date(2025, 6, 10))


def test_timeline_counts_every_week(sample):
    weeks = timeline(event_table(sample, info_for(ROLES)), NOW)
    assert weeks["week"].iloc[0] == date(2025, 1, 20) and weeks["week"].iloc[-1] == date(2025, 6, 30)
    assert len(weeks) == 24 and weeks[["past", "upcoming"]].sum().tolist() == [2, 3]
    march = weeks.set_index("week").loc[date(2025, 3, 10)]
    assert (march["past"], march["upcoming"]) == (1, 1)
    spec = timeline_chart(event_table(sample, info_for(ROLES)), NOW, "en").to_dict()
    assert spec["mark"]["type"] == "bar" and spec["encoding"]["x"]["title"] == "Week from"


def test_when_text_german_english_multiday_allday():
    start = pd.Timestamp("2025-03-15 18:00", tz=BERLIN)
    assert when_text(start, start + timedelta(hours=2)) == "Sa., 15. März 2025, 18:00–20:00 Uhr"
    assert when_text(start, start + timedelta(hours=2), "en") == "Sat, 15 Mar 2025, 18:00–20:00"
    assert (
        when_text(start, start + timedelta(hours=9))
        == "Sa., 15. März 2025, 18:00 Uhr – So., 16. März 2025, 03:00 Uhr"
    )
    assert when_text(start, None) == "Sa., 15. März 2025, 18:00 Uhr"
    day = pd.Timestamp("2025-03-15", tz=BERLIN)
    assert when_text(day, None) == "Sa., 15. März 2025"
    assert when_text(day, day + timedelta(days=2)) == "Sa., 15. März 2025 – So., 16. März 2025"
    assert when_text(day, day + timedelta(days=2), "en") == "Sat, 15 Mar 2025 – Sun, 16 Mar 2025"


def test_event_html_escapes_untrusted_text():
    gdf = layer([(XSS + "\n\nzweite", "<b>x</b>", datetime(2025, 3, 20, 18), None, XSS, "A & B",
                  "javascript:alert(1)")])  # fmt: skip
    out = event_html(event_table(gdf, info_for(ROLES)).iloc[0])
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "<b>" not in out and "A &amp; B" in out
    assert "href" not in out and "javascript:alert(1)" in out  # shown as text, not as a link
    assert "\n" not in out  # one line: Markdown must not see a blank line inside the block


def parse(ics: bytes):
    cal = Calendar.from_ical(ics)
    return cal, cal.walk("VEVENT")


def test_ical_round_trip_count_titles_and_berlin_times(sample):
    info = info_for(ROLES)
    events = event_table(sample, info)
    cal, vevents = parse(to_ical(events, info, "de"))
    assert len(vevents) == len(events) == 5
    assert [str(v["summary"]) for v in vevents] == list(events["title"])
    for vevent, (_, event) in zip(vevents, events.iterrows(), strict=True):
        start = vevent.decoded("dtstart")
        assert start.tzinfo.key == "Europe/Berlin"
        assert start == event["start"].to_pydatetime()
        assert vevent["dtstart"].params["TZID"] == "Europe/Berlin"
        if pd.notna(event["end"]):
            assert vevent.decoded("dtend") == event["end"].to_pydatetime()
        else:
            assert "dtend" not in vevent
        assert str(vevent["uid"]) == event_uid(info.id, event["fid"], event["start"])
        assert abs(vevent["geo"].latitude - event["lat"]) < 1e-6
    winter, summer = vevents[0].decoded("dtstart"), vevents[-1].decoded("dtstart")
    assert (winter.utcoffset(), summer.utcoffset()) == (timedelta(hours=1), timedelta(hours=2))
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(cal["version"]) == "2.0" and "prodid" in cal
    marz = next(v for v in vevents if str(v["summary"]) == "März-Treff")
    assert str(marz["url"]) == "https://example.org" and str(marz["location"]) == "Bibliothek"
    assert "Link: https://example.org" in str(marz["description"])


def test_ical_uids_stable_and_unique(sample):
    info = info_for(ROLES)
    events = event_table(sample, info)
    first = [str(v["uid"]) for v in parse(to_ical(events, info))[1]]
    again = [str(v["uid"]) for v in parse(to_ical(events.iloc[::-1], info))[1]]
    assert len(set(first)) == len(first) and sorted(first) == sorted(again)


def test_ical_untrusted_text_round_trips_and_folds_on_characters():
    title = XSS + "; Bürgerbeteiligung, Ärger & Öl\nzweite Zeile " + "Straßenfest Überlandweg " * 6
    gdf = layer([(title, "x;y", datetime(2025, 3, 20, 18), None, "Saal\\1, Ost; Süd", "Verein\x07 e.V.",
                  "javascript:alert(1)")])  # fmt: skip
    info = info_for(ROLES)
    ics = to_ical(event_table(gdf, info), info)
    lines = ics.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # no line ends inside an umlaut's bytes
    (vevent,) = parse(ics)[1]
    assert str(vevent["summary"]) == title.strip()
    assert str(vevent["location"]) == "Saal\\1, Ost; Süd"
    assert "Veranstalter: Verein e.V." in str(vevent["description"])  # control character removed
    assert "url" not in vevent  # only http(s) links become URL properties


def test_ical_all_day_events_use_dates():
    gdf = layer([("Fest", "x", datetime(2025, 5, 1), datetime(2025, 5, 3), "", "", "")])
    info = info_for(ROLES)
    (vevent,) = parse(to_ical(event_table(gdf, info), info))[1]
    assert vevent.decoded("dtstart") == date(2025, 5, 1) and vevent.decoded("dtend") == date(2025, 5, 3)


def test_demo_layer_from_the_store(store):
    infos = build_demo(store, today=date(2025, 3, 12))
    info = next(i for i in infos if i.kind == "events")
    events = event_table(store.read(info.id), info)
    assert len(events) == 9 and events["venue"].str.contains("(Demo)", regex=False).all()
    upcoming, past = split_upcoming(events, NOW)
    assert (len(upcoming), len(past)) == (6, 3)
    assert len(parse(to_ical(upcoming, info, "en"))[1]) == 6


def run_page(data, monkeypatch, lang: str = "de"):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SMART_REGION_DATA", str(data))
    at = AppTest.from_file("../pages/events.py", default_timeout=60)
    at.query_params.update({"basemap": "none", "lang": lang})
    return at.run()


def test_page_explains_missing_layers_and_dates(tmp_path, monkeypatch, store):
    at = run_page(tmp_path / "empty", monkeypatch)
    assert not at.exception and "Veranstaltungen" in at.info[0].value
    gdf = layer([("Ohne Rolle", "x", datetime(2025, 3, 20, 18), None, "", "", "")])
    store.write(gdf, title="Termine ohne Beginn", kind="events", roles={"name": "titel"})
    at = run_page(store.location, monkeypatch, "en")
    assert not at.exception
    assert "Termine ohne Beginn" in at.warning[0].value and "“Start”" in at.warning[0].value
