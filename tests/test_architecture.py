"""Keep the shape: `geo/` is a plain library that never imports streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

GEO = Path(__file__).resolve().parents[1] / "geo"


def test_geo_never_imports_streamlit():
    offenders = []
    for path in GEO.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] in ("streamlit", "streamlit_folium")
            ]
    assert not offenders


def test_no_cdn_hosts_in_code():
    root = GEO.parent
    hosts = (
        "cdn.jsdelivr",
        "cdnjs.cloudflare",
        "unpkg.com",
        "code.jquery",
        "bootstrapcdn",
        "fonts.googleapis",
    )
    files = [
        *root.glob("*.py"),
        *(root / "geo").rglob("*.py"),
        *(root / "pages").glob("*.py"),
        *(root / "webui").glob("*.py"),
        *(root / "static" / "js").glob("*.js"),
    ]
    assert not [f.name for f in files if any(h in f.read_text(encoding="utf-8") for h in hosts)]
