"""Analysis pages with Streamlit's AppTest: profile, district overview, coverage with what-if.

Every page runs in German and English on the demo store, and on stores that lack a
population role, a coworking layer, any offer layer or the municipalities: those show a
clear message instead of an error.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.config import REPO_ROOT
from geo.demo import build_demo, municipalities, stations
from geo.i18n import t
from geo.store import open_store

pytestmark = pytest.mark.dated

PAGES = ("pages/profile.py", "pages/overview.py", "pages/coverage.py")
TITLES = {
    "pages/profile.py": ("Gemeindeprofil", "Municipality profile"),
    "pages/overview.py": ("Kreisübersicht", "District overview"),
    "pages/coverage.py": ("Erreichbarkeit", "Coverage"),
}
SCHOENEBECK = "Schönebeck (Elbe)"


def demo_store(tmp_path, monkeypatch):
    data = tmp_path / "data"
    store = open_store(str(data))
    build_demo(store)
    monkeypatch.setenv("SMART_REGION_DATA", str(data))
    return store


@pytest.fixture
def demo(tmp_path, monkeypatch):
    return demo_store(tmp_path, monkeypatch)


def run(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=90)
    for k, v in {"basemap": "none", **(query or {})}.items():
        at.query_params[k] = v
    at.switch_page(page)
    return at.run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def legend_html(at: AppTest) -> str:
    """The legend, drawn as HTML (built escaped in geo.analysis.choropleth), not Markdown."""
    return "".join(e.proto.body for e in at.get("html") if "sr-legend" in e.proto.body)


def unescaped(text: str) -> str:
    """A heading as shown: user text goes through Markdown escaping (webui.common.md)."""
    return text.replace("\\", "")


def metric(at: AppTest, label: str) -> str:
    hits = [m.value for m in at.metric if m.label == label]
    assert hits, (label, [m.label for m in at.metric])
    return hits[0]


def expected_coworking(name: str) -> int:
    """Coworking spaces inside a demo municipality, straight from the facts CSV via sjoin."""
    facts = pd.read_csv(REPO_ROOT / "data" / "demo" / "angebote.csv", sep=";", comment="#")
    cowork = facts[facts["kind"] == "coworking"]
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(cowork["lon"], cowork["lat"]), crs=4326)
    joined = gpd.sjoin(points.to_crs(25832), municipalities(), predicate="within")
    return int((joined["GEN"] == name).sum())


def expected_stations(name: str) -> int:
    """DB stations inside a municipality, by a direct spatial join of the demo's real data."""
    joined = gpd.sjoin(stations().to_crs(25832), municipalities(), predicate="within")
    return int((joined["GEN"] == name).sum())


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_pages_run_in_both_languages(demo, page, lang):
    at = run(page, {"lang": lang})
    assert_clean(at)
    assert at.title[0].value == TITLES[page][lang == "en"]


def test_profile_shows_the_municipality_counts(demo):
    at = run("pages/profile.py", {"gemeinde": SCHOENEBECK})
    assert_clean(at)
    assert any(unescaped(h.value) == SCHOENEBECK for h in at.header)
    assert metric(at, "Coworking-Spaces") == str(expected_coworking(SCHOENEBECK))
    assert metric(at, "Einwohner") == "30.700"
    assert metric(at, "Bahnhöfe") == str(expected_stations(SCHOENEBECK)) == "5"  # real DB stations
    assert any("Coworking am Salzblumenplatz" in m.value for m in at.markdown)  # the nearest one


def test_profile_dates_and_numbers_follow_the_language(demo):
    """Upcoming events' times read "27.11.2026, 18:00" in German and "27 Nov 2026, 18:00" in English."""
    german = re.compile(r"\*\*\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}\*\*")
    english = re.compile(r"\*\*\d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2}\*\*")
    events = {}
    for lang in ("de", "en"):
        at = run("pages/profile.py", {"gemeinde": SCHOENEBECK, "lang": lang})
        assert_clean(at)
        events[lang] = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert events["de"] and all(german.match(e, 2) for e in events["de"]), events["de"]
    assert events["en"] and all(english.match(e, 2) for e in events["en"]), events["en"]
    assert metric(at, "Population") == "30,700"


def test_profile_picker_changes_the_municipality(demo):
    at = run("pages/profile.py")
    assert len(at.selectbox(key="gemeinde").options) == 1  # the chosen one, not every name
    at.text_input(key="gemeinde_query").input("bern").run()
    assert at.selectbox(key="gemeinde").options[1:] == ["Bernburg (Saale)"]  # the match
    at.selectbox(key="gemeinde").select("15089030").run()  # Bernburg (Saale)
    assert_clean(at)
    assert any(unescaped(h.value) == "Bernburg (Saale)" for h in at.header)
    assert at.query_params["gemeinde"] in ("Bernburg (Saale)", ["Bernburg (Saale)"])  # a readable link
    assert metric(at, "Coworking-Spaces") == str(expected_coworking("Bernburg (Saale)"))


def test_overview_indicator_and_scheme_change_the_map(demo):
    at = run("pages/overview.py")
    assert_clean(at)
    at.selectbox(key="ov_indicator").select("station_nearest_km").run()
    at.selectbox(key="ov_scheme").select("natural_breaks").run()
    at.slider(key="ov_k").set_value(3).run()
    assert_clean(at)
    legend = legend_html(at)
    assert "Bahnhöfe: Entfernung vom Zentrum zum nächsten (km)" in legend
    assert legend.count("<li>") == 3
    assert any("Alle 21 Gemeinden" in s.value for s in at.subheader)


def percent(text: str, lang: str = "de") -> float:
    """ "45,7 %" (German, no-break space) or "45.7%" (English) as 45.7."""
    text = text.removesuffix("%").strip()
    return float(text.replace(".", "").replace(",", ".") if lang == "de" else text.replace(",", ""))


def share(at: AppTest, lang: str = "de") -> float:
    return percent(metric(at, t("ana.share_area", lang)), lang)


def test_coverage_distance_changes_the_share(demo):
    at = run("pages/coverage.py")
    assert_clean(at)
    near = share(at)
    assert at.select_slider(key="km").value == 5.0
    assert "5,0 km" in at.select_slider(key="km").options  # a decimal comma, which st.slider cannot show
    at.select_slider(key="km").set_value(15.0).run()
    assert_clean(at)
    assert share(at) > near
    at.radio(key="cov_kind").set_value("station").run()
    assert_clean(at)
    assert "Bahnhöfe" in at.subheader[0].value


def test_coverage_distance_from_the_url(demo):
    low, high = run("pages/coverage.py", {"km": "1"}), run("pages/coverage.py", {"km": "20"})
    assert share(low) < share(high)
    assert share(high) == 100.0  # 20 km around six coworking spaces covers the whole demo district


def test_what_if_planned_site_adds_coverage(demo):
    at = run("pages/coverage.py")
    before = share(at)
    at.number_input(key="cov_lat").set_value(51.70)
    at.number_input(key="cov_lon").set_value(11.45)
    next(b for b in at.button if b.label == t("ana.add")).click().run()
    assert_clean(at)
    assert any("Mit 1 geplanten Standort" in m.value for m in at.markdown)  # singular
    shares = [m.value for m in at.metric if m.label == "Fläche in Reichweite"]
    assert len(shares) == 2 and shares[0] == f"{before:.1f}\u00a0%".replace(".", ",")
    after = percent(shares[1])
    assert after > before
    at.button(key="cov_clear").click().run()
    assert_clean(at)
    assert len([m for m in at.metric if m.label == "Fläche in Reichweite"]) == 1


@pytest.mark.parametrize("page", PAGES)
def test_without_population_role_area_only(tmp_path, monkeypatch, page):
    store = demo_store(tmp_path, monkeypatch)
    munis = next(i for i in store.list_layers() if i.kind == "municipalities")
    store.update_metadata(munis.id, roles={k: v for k, v in munis.roles.items() if k != "population"})
    at = run(page)
    assert_clean(at)
    if page == "pages/coverage.py":
        assert not [m for m in at.metric if m.label == "Einwohner in Reichweite"]
        assert any("21 Gemeinden ist keine Einwohnerzahl" in c.value for c in at.caption)
    if page == "pages/profile.py":
        assert metric(at, "Einwohner") == "–"
        assert any("keine Einwohnerzahl hinterlegt" in c.value for c in at.caption)
    if page == "pages/overview.py":
        assert "coworking_per_10k" not in at.selectbox(key="ov_indicator").options


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_without_coworking_layer_says_so(tmp_path, monkeypatch, page, lang):
    store = demo_store(tmp_path, monkeypatch)
    store.delete(next(i.id for i in store.list_layers() if i.kind == "coworking"))
    at = run(page, {"lang": lang})
    assert_clean(at)
    assert any(t("ana.no_coworking", lang) == i.value for i in at.info)
    assert not [m for m in at.metric if m.label == t("offer.coworking", lang)]


@pytest.mark.parametrize("page", PAGES)
def test_without_offer_layers_says_so(tmp_path, monkeypatch, page):
    store = demo_store(tmp_path, monkeypatch)
    for info in store.list_layers():
        if info.kind != "municipalities":
            store.delete(info.id)
    at = run(page)
    assert_clean(at)
    assert any(t("ana.no_offers") == i.value for i in at.info)


@pytest.mark.parametrize("page", PAGES)
def test_without_municipalities_says_what_to_do(tmp_path, monkeypatch, page):
    store = demo_store(tmp_path, monkeypatch)
    store.delete(next(i.id for i in store.list_layers() if i.kind == "municipalities"))
    at = run(page)
    assert_clean(at)
    assert [i.value for i in at.info] == [t("ana.no_municipalities")]


def test_markup_in_offer_names_is_shown_as_text(tmp_path, monkeypatch):
    store = demo_store(tmp_path, monkeypatch)
    evil = "**fett** <img src=x onerror=alert(1)> $x$ :red[rot]"
    munis = municipalities()
    centre = munis[munis["GEN"] == SCHOENEBECK].centroid  # where the profile measures from
    point = gpd.GeoDataFrame({"name": [evil]}, geometry=centre.to_crs(4326).values, crs=4326)
    store.write(point, title="Test", kind="coworking", roles={"name": "name"})
    at = run("pages/profile.py", {"gemeinde": SCHOENEBECK})
    assert_clean(at)
    nearest = next(m.value for m in at.markdown if m.value.startswith("- Coworking-Spaces:"))
    assert "\\*\\*fett\\*\\*" in nearest and "\\<img" in nearest and "\\$x\\$" in nearest


def test_overview_says_why_it_shows_fewer_classes(demo):
    """Five classes asked for; where the values allow fewer, the legend says why."""
    at = run("pages/overview.py")
    assert_clean(at)
    for index, column in enumerate(at.selectbox(key="ov_indicator").options):
        at.selectbox(key="ov_indicator").select_index(index).run()
        legend = legend_html(at)
        note = [c.value for c in at.caption if c.value.startswith("Nur ")]
        assert (legend.count("<li>") < 5) == bool(note), (column, note)
        assert not note or f"Nur {legend.count('<li>')} statt 5 Klassen" in note[0]
