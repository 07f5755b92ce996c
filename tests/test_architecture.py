"""Keep the shape: `geo/` is a plain library that never imports streamlit; the store is used
only through `geo.store`'s public names; pages import only `webui` and public `geo` names."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import geo.store

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"
# GeoPackage-specific tests (files on disk, crash safety) may reach into the backend.
GEOPACKAGE_TESTS = {"test_backup.py", "test_crash_loop.py", "test_store_geopackage.py"}


def _imports(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(module, imported names) of every import in `path`; names are empty for ``import x``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [alias.name for alias in node.names]


def _python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in (ROOT / folder).rglob("*.py")]


def test_geo_never_imports_streamlit():
    offenders = []
    for path in GEO.rglob("*.py"):
        offenders += [
            f"{path.name}: {module}"
            for module, _ in _imports(path)
            if module.split(".")[0] in ("streamlit", "streamlit_folium")
        ]
    assert not offenders


def test_nothing_outside_the_store_imports_a_store_submodule():
    """Callers see `geo.store`'s interfaces only, so a new backend changes nothing outside."""
    store_dir = GEO / "store"
    files = [ROOT / "dashboard.py", *_python_files("geo", "webui", "pages", "bench", "tests")]
    offenders = []
    for path in files:
        if store_dir in path.parents or path.name in GEOPACKAGE_TESTS:
            continue
        for module, names in _imports(path):
            if module.startswith("geo.store."):
                offenders.append(f"{path.relative_to(ROOT)}: {module}")
            elif module == "geo.store":
                offenders += [
                    f"{path.relative_to(ROOT)}: geo.store.{n}" for n in names if n not in geo.store.__all__
                ]
    assert not offenders


def test_pages_import_only_webui_and_public_geo_names():
    local = ("geo", "webui", "pages", "tests", "bench", "dashboard")
    offenders = []
    for path in [ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py")]:
        for module, names in _imports(path):
            top = module.split(".")[0]
            if top not in local:
                continue  # streamlit, pandas, … and the standard library
            private = [n for n in [*module.split("."), *names] if n.startswith("_")]
            if top not in ("geo", "webui") or private or module.startswith("geo.store."):
                offenders.append(f"{path.name}: {module} {names}")
    assert not offenders


def test_no_cdn_hosts_in_code():
    hosts = (
        "cdn.jsdelivr",
        "cdnjs.cloudflare",
        "unpkg.com",
        "code.jquery",
        "bootstrapcdn",
        "fonts.googleapis",
    )
    files = [
        *ROOT.glob("*.py"),
        *GEO.rglob("*.py"),
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "webui").glob("*.py"),
        *(ROOT / "static" / "js").glob("*.js"),
    ]
    assert not [f.name for f in files if any(h in f.read_text(encoding="utf-8") for h in hosts)]


def test_app_caches_are_out_of_reach_of_clear_cache():
    """Streamlit's caches are emptied for everyone by any browser's ``clear_cache`` message: the
    app caches shared data only in `webui.caches` (tests/test_browser_caches.py attacks it)."""
    files = [ROOT / "dashboard.py", *_python_files("webui", "pages")]
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in files
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and node.attr in ("cache_data", "cache_resource", "cache")
        and isinstance(node.value, ast.Name)
        and node.value.id == "st"
    ]
    assert not offenders
