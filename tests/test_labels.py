"""After a language switch a selection widget can hand back a label: `from_label` maps it back."""

from __future__ import annotations

from geo.analysis.indicators import indicator_label, kind_label
from webui.common import from_label


def test_from_label_maps_a_label_of_either_language_to_its_option():
    columns = ["population", "coworking_per_10k", "events_nearest_km"]
    for lang in ("de", "en"):
        label = indicator_label("events_nearest_km", lang)
        assert label not in columns
        assert from_label(label, columns, indicator_label) == "events_nearest_km"
    assert from_label(kind_label("mobility", "de"), ["coworking", "mobility"], kind_label) == "mobility"


def test_from_label_keeps_options_and_falls_back_for_other_text():
    kinds = ["coworking", "mobility"]
    assert from_label("mobility", kinds, kind_label) == "mobility"
    assert from_label(None, kinds, kind_label) is None
    assert from_label("etwas ganz anderes", kinds, kind_label, "coworking") == "coworking"
    assert from_label("etwas ganz anderes", kinds, kind_label) is None
