"""Settings read once from ``SMART_REGION_*`` environment variables.

Each field has a default and a help line; README lists them. Secrets never live here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(f"SMART_REGION_{name}", default)


@dataclass(frozen=True)
class Settings:
    data: str = field(
        default_factory=lambda: _env("DATA", str(REPO_ROOT / "data")),
        metadata={"help": "Data directory (or store URL) of the layer store."},
    )
    store: str = field(
        default_factory=lambda: _env("STORE", "") or _env("DATA", str(REPO_ROOT / "data")),
        metadata={
            "help": "Store URL: postgresql://user@host:port/db for PostGIS (several app replicas); "
            "default: the GeoPackage store folder SMART_REGION_DATA."
        },
    )
    max_upload_mb: int = field(
        default_factory=lambda: int(_env("MAX_UPLOAD_MB", "200")),
        metadata={"help": "Largest file an import accepts, in MB."},
    )
    max_unzipped_mb: int = field(
        default_factory=lambda: int(_env("MAX_UNZIPPED_MB", "1000")),
        metadata={"help": "Largest total unpacked size of a ZIP upload, in MB (zip bombs)."},
    )
    max_zip_members: int = field(
        default_factory=lambda: int(_env("MAX_ZIP_MEMBERS", "2000")),
        metadata={"help": "Most files a ZIP upload may hold."},
    )
    language: str = field(
        default_factory=lambda: _env("LANGUAGE", "de"),
        metadata={"help": "Default UI language (de or en)."},
    )

    @classmethod
    def describe(cls) -> list[tuple[str, str]]:
        """(variable name, help) pairs, for README and ``--help``."""
        return [(f"SMART_REGION_{f.name.upper()}", f.metadata["help"]) for f in fields(cls)]


def load_settings() -> Settings:
    """A fresh `Settings` from the current environment."""
    return Settings()
