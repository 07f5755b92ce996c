"""The catalogs are complete: every key the code uses has German and English text.

Keys written as literals are found in the source (ast); keys built at run time
(``t(f"kind.{kind}")``) are enumerated from the domain constants they are built from, and a new
family without an entry in `FAMILIES` fails the test. The conftest makes `t()` strict, so any
page or CLI run in the suite that hits an unknown key fails too.
"""

from __future__ import annotations

import ast
import re
import shutil
import string
from pathlib import Path

import pytest

from geo.analysis.classes import SCHEMES
from geo.analysis.indicators import BASE_COLUMNS, KIND_SUFFIXES, OFFER_KINDS
from geo.audit import ACTIONS as AUDIT_ACTIONS
from geo.i18n import LANGUAGES, MissingTranslationError, has_text, t, tn
from geo.i18n.catalogs import LOCALES_DIR, compiled, is_translated, message_key, read_catalog
from geo.i18n.convert import carry_changes, merge, read_pairs
from geo.imports.save import ACTIONS as UPLOAD_ACTIONS
from geo.maps.categories import MOBILITY_TYPES
from geo.participation.rounds import MODERATION_ACTIONS, STATES, STATUSES
from geo.store import KINDS, LOGIN_OUTCOMES, ROLES

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT / "dashboard.py",
    *sorted((ROOT / "geo").rglob("*.py")),
    *sorted((ROOT / "webui").glob("*.py")),
    *sorted((ROOT / "pages").glob("*.py")),
]
CALLS = {"t", "tr", "tn", "Msg", "warn", "drop"}  # functions whose first argument is a key


def module_constant(path: Path, name: str) -> tuple:
    """A literal module-level constant of a Streamlit module, read without importing it."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(name)


AUDIT_COLUMNS = ("at", "user", "action", "layer", "version", "file", "detail")
# prefix of a key built at run time → the values it is completed with
FAMILIES: dict[str, tuple[str, ...]] = {
    "kind.": KINDS,
    "role.": ROLES,
    "symbol.": module_constant(ROOT / "webui" / "manage_forms.py", "SYMBOLS"),
    "ui.upload.action_": UPLOAD_ACTIONS,
    "ui.audit.": AUDIT_ACTIONS,
    "ui.audit.col_": AUDIT_COLUMNS,
    "ana.scheme_": SCHEMES,
    "ind.": (*BASE_COLUMNS, *KIND_SUFFIXES),
    "offer.": OFFER_KINDS,
    "cat.": MOBILITY_TYPES,
    "ui.part.status_": STATUSES,
    "ui.part.state_": STATUSES,
    "ui.part.moderated_": MODERATION_ACTIONS,
    "ui.part.": MODERATION_ACTIONS,
    "ui.part.mod_line_": STATES,
    "ui.manage.login_": LOGIN_OUTCOMES,
    "ui.part.col_": module_constant(ROOT / "webui" / "participation_admin.py", "COUNT_COLUMNS"),
    "ui.events.": ("when", "where", "kind", "organiser", "link"),  # event fields, see event_html/ical
    "warn.gtfs_": ("merged", "skipped_nodes"),  # attrs of the GTFS stops table
    "ana.classes_": ("distinct", "ties"),  # Classes.collapsed
    "ui.upload.source_": ("file", "service"),  # the upload page's source radio
}


def catalog_keys(lang: str) -> set[str]:
    return {message_key(m) for m in read_catalog(lang) if m.id}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def key_calls() -> list[tuple[str, ast.Call]]:
    """Every call of `CALLS` or of a ``…Error`` class, with where it is."""
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if name in CALLS or name.endswith("Error"):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def literal_keys() -> dict[str, str]:
    """Every string constant in the code that looks like a key (``err.unreadable``), with where."""
    prefixes = {k.split(".")[0] for k in catalog_keys("de")}
    pattern = re.compile(rf"^({'|'.join(map(re.escape, prefixes))})\.[A-Za-z0-9_.]*[A-Za-z0-9_]$")
    found = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        built = [n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr | ast.BinOp)]
        parts = {id(part) for node in built for part in ast.walk(node)}  # f"kind.{k}": not a key itself
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and id(node) not in parts and pattern.match(text):
                found.setdefault(text, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def built_prefix(arg: ast.expr) -> str | None:
    """The constant start of a key built at run time: f"kind.{k}" or "kind." + k."""
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        return str(arg.values[0].value)
    if isinstance(arg, ast.BinOp) and isinstance(arg.left, ast.Constant) and isinstance(arg.left.value, str):
        return arg.left.value
    return None


# --- the catalogs themselves ------------------------------------------------------------------


def test_catalogs_have_the_same_keys():
    de, en = catalog_keys("de"), catalog_keys("en")
    assert not de - en, f"no English entry: {sorted(de - en)}"
    assert not en - de, f"no German entry: {sorted(en - de)}"
    assert len(de) > 500


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_formats(lang):
    empty, broken = [], []
    for message in read_catalog(lang):
        if not message.id:
            continue
        if not is_translated(message):
            empty.append(message_key(message))
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            try:
                placeholders(text)
            except ValueError:
                broken.append(message_key(message))
    assert not empty, f"empty or fuzzy {lang} texts: {empty}"
    assert not broken, f"unbalanced braces: {broken}"


def test_placeholders_and_plural_forms_agree_between_languages():
    de, en = ({message_key(m): m for m in read_catalog(lang) if m.id} for lang in LANGUAGES)
    differ = []
    for key, message in de.items():
        other = en[key]
        assert message.pluralizable == other.pluralizable, f"{key}: plural in one language only"
        forms = [s for m in (message, other) for s in (m.string if m.pluralizable else (m.string,))]
        names = [placeholders(s) for s in forms]
        if message.pluralizable:  # the singular may spell the number out ("in der letzten Minute")
            names = [n - {"n"} for n in names]
            assert "n" in placeholders(message.string[1]) and "n" in placeholders(other.string[1]), key
        if any(n != names[0] for n in names):
            differ.append(key)
    assert not differ, f"placeholders differ between forms or languages: {differ}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_header_declares_two_plural_forms(lang):
    assert read_catalog(lang).plural_forms == "nplurals=2; plural=(n != 1);"


def test_catalogs_compile_in_memory_and_nothing_is_written():
    before = sorted(p.name for p in LOCALES_DIR.rglob("*") if p.is_file())
    compiled.cache_clear()
    assert t("ui.map", "en") == "Map" and tn("ui.features", 2, "de") == "2 Objekte"
    assert sorted(p.name for p in LOCALES_DIR.rglob("*") if p.is_file()) == before == ["messages.po"] * 2


# --- the code's keys exist --------------------------------------------------------------------


def test_every_literal_key_in_the_code_has_both_texts():
    known = catalog_keys("de")
    missing = [f"{key} ({where})" for key, where in literal_keys().items() if key not in known]
    assert not missing, "keys without text: " + ", ".join(missing)


def test_every_key_family_built_at_run_time_is_enumerated():
    prefixes = {k.split(".")[0] + "." for k in catalog_keys("de")}
    unknown = []
    for where, call in key_calls():
        prefix = built_prefix(call.args[0])
        if prefix is not None and prefix.startswith(tuple(prefixes)) and prefix not in FAMILIES:
            unknown.append(f"{where}: {prefix}…")
    assert not unknown, "add these families to FAMILIES: " + ", ".join(unknown)


@pytest.mark.parametrize("prefix", sorted(FAMILIES))
def test_key_families_are_complete(prefix):
    keys = catalog_keys("de")
    assert not [f"{prefix}{v}" for v in FAMILIES[prefix] if f"{prefix}{v}" not in keys]


def test_calls_pass_every_placeholder_and_counts_for_plurals():
    """``t("ui.upload.saved", count=…)`` after the text became a plural with {n} fails here."""
    catalog = {message_key(m): m for m in read_catalog("de") if m.id}
    wrong = []
    for where, call in key_calls():
        arg = call.args[0]
        if not (isinstance(arg, ast.Constant) and arg.value in catalog):
            continue
        message, given = catalog[arg.value], {k.arg for k in call.keywords}
        if None in given:  # **params: not checkable here
            continue
        forms = message.string if message.pluralizable else (message.string,)
        needed = set().union(*(placeholders(s) for s in forms))
        positional_n = getattr(call.func, "id", getattr(call.func, "attr", "")) in ("tn", "drop")
        if message.pluralizable and not positional_n:
            needed.add("n")
        if missing := needed - given - ({"n"} if positional_n else set()):
            wrong.append(f"{where}: {arg.value} needs {sorted(missing)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_indicator_columns_all_have_labels(lang):
    import geopandas as gpd
    from shapely.geometry import Point, box

    from geo.analysis.coverage import coverage, planned_points, what_if
    from geo.analysis.indicators import indicator_label, indicators

    munis = gpd.GeoDataFrame(
        {"AGS": ["1", "2"], "GEN": ["A", "B"], "EWZ": [100, 200]},
        geometry=[box(600_000, 5_700_000, 610_000, 5_710_000), box(610_000, 5_700_000, 620_000, 5_710_000)],
        crs="EPSG:25832",
    )
    station = gpd.GeoDataFrame({"name": ["S"]}, geometry=[Point(605_000, 5_705_000)], crs="EPSG:25832")
    roles = {"key": "AGS", "name": "GEN", "population": "EWZ"}
    before = coverage(munis, station, 2000, roles)
    change = what_if(munis, station, planned_points([(11.6, 51.45)]), 2000, roles)
    columns = {
        *indicators(munis, {kind: station for kind in OFFER_KINDS}, roles).columns,
        *before.per_municipality.columns,
        *change.change.columns,
        "area_share_after",
    } - {"geometry"}
    assert not [c for c in columns if indicator_label(c, lang) == c]


# --- strictness -------------------------------------------------------------------------------


def test_unknown_key_fails_loudly_in_tests():
    with pytest.raises(MissingTranslationError, match="no.such.key"):
        t("no.such.key")
    with pytest.raises(MissingTranslationError):
        t("ui.features", "de")  # a plural entry without its count
    with pytest.raises(MissingTranslationError):
        tn("ui.map", 2)  # not a plural entry


def test_unknown_key_shows_the_key_and_logs_once_in_production(monkeypatch, caplog):
    monkeypatch.delenv("SMART_REGION_STRICT_I18N")
    with caplog.at_level("WARNING", logger="geo.i18n"):
        assert t("no.such.production_key", "en") == "no.such.production_key"
        assert t("no.such.production_key", "en") == "no.such.production_key"
    logged = [r.getMessage() for r in caplog.records]
    assert logged.count("no en text for 'no.such.production_key'; showing the key") == 1
    assert has_text("ui.map") and not has_text("no.such.production_key")


# --- the converter for keys other branches add to the old dict ---------------------------------


def test_converter_appends_new_keys_and_keeps_existing_entries(tmp_path):
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales)
    old = tmp_path / "old_i18n.py"
    old.write_text(
        "_UI: dict[str, tuple[str, str]] = {\n"
        '    "ui.map": ("Landkarte", "Chart"),\n'  # already there: stays as it is
        '    "ui.every_control": ("Jedes Bedienelement {n}", "Every control {n}"),\n'
        "}\nTEXTS = {**_UI}\n",
        encoding="utf-8",
    )
    assert merge(read_pairs(old), locales) == ["ui.every_control"]
    assert merge(read_pairs(old), locales) == []  # idempotent
    for lang, text in (("de", "Jedes Bedienelement {n}"), ("en", "Every control {n}")):
        catalog = read_catalog(lang, locales)
        assert catalog["ui.every_control"].string == text
        assert catalog["ui.map"].string == read_catalog(lang)["ui.map"].string
        assert catalog["ui.features"].string == read_catalog(lang)["ui.features"].string  # plurals kept


def test_converter_keeps_retired_keys_out_and_carries_changed_texts(tmp_path):
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales)
    entries = {key: (catalog_text(key, "de"), catalog_text(key, "en")) for key in ("ui.map", "ui.features")}
    base, branch = tmp_path / "base.py", tmp_path / "branch.py"
    base.write_text(f"TEXTS = {entries!r}\n", encoding="utf-8")
    changed = {
        **entries,
        "ui.map": ("Karte neu", "Map new"),
        "ui.features": ("x", "y"),
        "month.1": ("Jan", "Jan"),
    }
    branch.write_text(f"TEXTS = {changed!r}\n", encoding="utf-8")
    assert merge(read_pairs(branch), locales) == []  # month.1 is retired: Babel names months
    assert carry_changes(read_pairs(base), read_pairs(branch), locales) == (["ui.map"], ["ui.features"])
    assert [read_catalog(lang, locales)["ui.map"].string for lang in LANGUAGES] == ["Karte neu", "Map new"]
    assert read_catalog("de", locales)["ui.features"].string == read_catalog("de")["ui.features"].string


def catalog_text(key: str, lang: str) -> object:
    return read_catalog(lang)[key].string


# --- no German inside English ------------------------------------------------------------------

# Proper names that stay German in English texts (towns, products, the README's headings).
ALLOWED = ("Staßfurt", "Schönebeck", "basemap.de", "Planer-Konto anlegen", "GeoBasis-DE")
GERMAN = re.compile(
    r"[äöüÄÖÜß„]|\b(und|oder|der|die|das|den|dem|des|ein|eine|einen|nicht|ist|sind|wird|wurde|wurden|mit|"
    r"für|von|bitte|keine|kein|auf|im|zu|bei|nach|aus|sich|Datei|Ebene|Ebenen|Gemeinde|Gemeinden|Beitrag|"
    r"Beiträge|Objekt|Objekte|Zeile|Zeilen|Spalte|Uhr|verworfen|gelesen|gespeichert|Hinweis|Fehler|Konto|"
    r"anlegen|hochladen|Karte|Daten|Pfad|ungültig|ungültiges|fehlt|erwartet|gesperrt)\b"
)


def german_in(text: str) -> list[str]:
    for name in ALLOWED:
        text = text.replace(name, "")
    return [m.group(0) for m in GERMAN.finditer(text)]


def test_german_detector_finds_german():
    assert german_in("The file “x” cannot be read (das ZIP-Archiv ist verschlüsselt).")
    assert german_in("The layer „x“ was skipped.") and german_in("Version 3, 12 Objekte.")
    assert not german_in("No results for “Staßfurt” on basemap.de (see “Planer-Konto anlegen”).")


def test_no_german_in_english_catalog():
    found = {}
    for message in read_catalog("en"):
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            if message.id and (hits := german_in(text)):
                found[message_key(message)] = hits
    assert not found
