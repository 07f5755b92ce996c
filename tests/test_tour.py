"""Guided tours: stations, ordering, links, stored versions."""

from __future__ import annotations

import pytest

from geo.errors import GeoError
from geo.maps.tour import Tour, demo_tour, make_station, move, params_from_link, station_link


def test_station_from_share_link_keeps_view_and_drops_bad_values():
    params = params_from_link(
        "https://host/karte?layers=a,b&basemap=none&lat=51.8&lon=11.6&z=11&lang=en&sel=../x:1"
    )
    assert params == {"layers": "a,b", "basemap": "none", "lat": "51.80000", "lon": "11.60000", "z": "11"}


def test_station_needs_title_and_short_texts():
    with pytest.raises(GeoError, match="Titel"):
        make_station("  ", "x", {})
    with pytest.raises(GeoError, match="zu lang"):
        make_station("T", "x" * 401, {})


def test_move_clamps_and_keeps_all_stations():
    tour = demo_tour({"municipalities": ["g"], "coworking": ["c"], "mobility": ["m", "z"], "events": ["e"]})
    titles = [s.title for s in move(tour.stations, 0, 1)]
    assert titles[:2] == [tour.stations[1].title, tour.stations[0].title]
    assert [s.title for s in move(tour.stations, 3, 5)] == [s.title for s in tour.stations]
    assert tour.stations[2].params["layers"] == "g,m,z"  # every mobility layer, not only the first


def test_tour_round_trip_and_versions_in_store(store):
    tour = demo_tour({"municipalities": ["g"], "events": ["e"]})
    assert Tour.from_dict(tour.to_dict()) == tour
    assert store.put_document("tour", "forum", tour.to_dict(), author="anna") == 1
    shorter = Tour(tour.name, tour.stations[:2])
    assert store.put_document("tour", "forum", shorter.to_dict(), author="ben") == 2
    assert Tour.from_dict(store.get_document("tour", "forum")) == shorter
    assert [v[2] for v in store.document_history("tour", "forum")] == ["anna", "ben"]  # nothing lost
    assert [e.action for e in store.audit_log(2)] == ["document", "document"]
    with pytest.raises(GeoError):
        store.put_document("tour", "../x", {}, author="x")


def test_station_link_opens_the_explorer_view():
    station = make_station("T", "", {"layers": "g", "z": "9"})
    assert station_link("http://h:8501/", station, "en") == "http://h:8501/?layers=g&z=9&lang=en"


def test_demo_is_built_once_when_servers_start_together(tmp_path):
    """Two processes starting on an empty store at once: one demo, not two."""
    import subprocess
    import sys

    code = (
        "import sys; from geo.demo import ensure_demo; from geo.store import open_store; "
        "print(ensure_demo(open_store(sys.argv[1])))"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "s")], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [p.communicate(timeout=120)[0].strip() for p in procs]
    from geo.store import open_store

    assert sorted(results) == ["False", "False", "True"]
    assert len(open_store(str(tmp_path / "s")).list_layers()) == 7


@pytest.mark.dated
def test_event_station_shows_only_what_is_still_to_come(store):
    """The forum's "Kommende Veranstaltungen" station: no past demo event on the projector."""
    from geo import clock
    from geo.demo import build_demo
    from geo.events.schedule import event_table, split_upcoming
    from geo.maps.filters import filter_layer

    built = build_demo(store)
    infos = {info.kind: info for info in built}
    tour = demo_tour({kind: [i.id for i in built if i.kind == kind] for kind in infos})
    station = next(s for s in tour.stations if infos["events"].id in (s.view.layers or ()))
    today = clock.today()
    events = infos["events"]
    gdf = store.read(events.id)
    shown = gdf[filter_layer(gdf, events, station.filters(today), None, None)]
    _, past = split_upcoming(event_table(gdf, events), clock.now())
    assert len(past) > 0 and len(shown) > 0  # the demo has both, relative to today
    assert not set(past["fid"]) & set(shown.index)
    dated = make_station("Rückblick", "", {"layers": events.id, "von": "2000-01-01"})
    assert dated.filters(today).date_from.year == 2000  # a station with its own period keeps it
