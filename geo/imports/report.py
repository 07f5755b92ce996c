"""What an import produced: the cleaned layer and the report of every change made to it.

Kept apart from `geo.imports.formats` so that format readers living in their own modules (GTFS)
can build the same result without importing the importer, which routes to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

from geo.i18n import t, tn


@dataclass
class ImportReport:
    """What happened to one layer on import: counts, repairs, drops, warnings."""

    source_file: str
    layer_name: str
    features_read: int = 0
    features_stored: int = 0
    repaired: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    source_crs: str | None = None
    warnings: list[tuple[str, dict]] = field(default_factory=list)
    swap_offered: bool = False  # coordinates look swapped: offer reading x as y (`plausibility`)

    def drop(self, reason: str, count: int) -> None:
        if count:
            self.dropped[reason] = self.dropped.get(reason, 0) + int(count)

    def warn(self, key: str, **params: object) -> None:
        if (key, params) not in self.warnings:
            self.warnings.append((key, params))

    def warning_texts(self, lang: str = "de") -> list[str]:
        return [t(key, lang, **params) for key, params in self.warnings]

    def dropped_texts(self, lang: str = "de") -> list[str]:
        """ "30 Zeilen ohne lesbare Koordinaten": one line per reason (``drop.*`` plural keys)."""
        return [tn(key, n, lang) for key, n in self.dropped.items()]

    def to_dict(self, lang: str = "de") -> dict:
        """JSON-serialisable summary, texts in `lang`, for the CLI and the UI."""
        return {
            "source_file": self.source_file,
            "layer_name": self.layer_name,
            "features_read": self.features_read,
            "features_stored": self.features_stored,
            "repaired": self.repaired,
            "dropped": dict(self.dropped),
            "dropped_texts": self.dropped_texts(lang),
            "source_crs": self.source_crs,
            "warnings": self.warning_texts(lang),
            "warning_keys": [key for key, _ in self.warnings],
            "swap_offered": self.swap_offered,
        }


@dataclass
class ImportedLayer:
    """One cleaned layer, ready for the store, with suggestions for the upload form."""

    name: str
    gdf: gpd.GeoDataFrame
    report: ImportReport
    suggestion: dict
