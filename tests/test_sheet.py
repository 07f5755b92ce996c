"""Map sheets: a PDF from the demo store holds title, legend, sources and date at its paper size."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from geo.demo import build_demo
from geo.errors import GeoError
from geo.maps.build import MapLayer
from geo.maps.display import display_frame
from geo.maps.sheet import render_sheet
from geo.store import open_store

MM = 72 / 25.4


@pytest.fixture(scope="module")
def demo_layers(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("sheet") / "store.gpkg"))
    return {
        info.kind + ":" + info.title: MapLayer(info, display_frame(store.read(info.id), info))
        for info in build_demo(store)
    }


def _pdf(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_sheet_holds_title_legend_sources_and_date(demo_layers):
    layers = [demo_layers[k] for k in sorted(demo_layers) if k.startswith(("municipalities", "mobility"))]
    data = render_sheet(layers, "Mobilität im Salzlandkreis", "http://example.test/?basemap=none", "de")
    reader, text = _pdf(data)
    assert len(reader.pages) == 1
    assert "Mobilität im Salzlandkreis" in text and "Legende" in text
    for layer in layers:
        assert layer.info.title[:38] in text
    assert "Bahnhof" in text and "Ladepunkt" in text  # mobility categories, as labelled on screen
    assert "GeoBasis-DE / BKG" in text  # the boundaries' attribution
    assert "Stand: " in text and " km" in text  # date and scale bar
    assert "Bernburg (Saale)" in text  # municipality names on the map
    assert reader.metadata.title == "Mobilität im Salzlandkreis"


@pytest.mark.parametrize(
    ("paper", "landscape_", "size_mm"),
    [
        ("A4", True, (297, 210)),
        ("A4", False, (210, 297)),
        ("A3", True, (420, 297)),
        ("A3", False, (297, 420)),
    ],
)
def test_sheet_page_size(demo_layers, paper, landscape_, size_mm):
    layer = next(v for k, v in demo_layers.items() if k.startswith("municipalities"))
    reader, text = _pdf(render_sheet([layer], "Gemeinden", "", "en", paper, landscape_))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == size_mm
    assert "Legend" in text and "Sources: " in text


def test_sheet_without_features_says_what_to_do(demo_layers):
    layer = next(v for k, v in demo_layers.items() if k.startswith("coworking"))
    empty = MapLayer(layer.info, layer.frame.iloc[0:0])
    for layers in ([], [empty]):
        with pytest.raises(GeoError) as err:
            render_sheet(layers, "Leer", "", "de")
        assert "keine Ebene" in err.value.message("de") and "Show at least one layer" in err.value.message(
            "en"
        )
