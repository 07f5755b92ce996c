"""Move ``key: (German, English)`` dict entries into the gettext catalogs (developer tool).

    python -m geo.i18n.convert [--base BASE_FILE.py] OLD_FILE.py [OLD_FILE.py ...]

OLD_FILE is a Python module holding dicts of ``"key": ("Deutsch", "English")``, as the
pre-Babel ``geo/i18n/__init__.py`` did (e.g. ``git show BRANCH:geo/i18n/__init__.py``).
Keys the catalogs lack are appended to both .po files; entries already there are never
changed, so edited texts and plural forms survive, and `RETIRED` keys stay out. With
``--base`` (the dict the branch started from), texts the branch changed are carried over
where the catalog still holds the base text; the others are listed to edit by hand. The app
itself never runs this.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from geo.i18n.catalogs import DOMAIN, LOCALES_DIR, message_key, po_path, read_catalog

LANGUAGES = ("de", "en")
# Keys the old dict had and the catalogs dropped on purpose (Babel names months and weekdays);
# every branch's copy of the dict still holds them, so a merge must not bring them back.
RETIRED = frozenset({*(f"month.{m}" for m in range(1, 13)), *(f"weekday.{d}" for d in range(7))})


def read_pairs(path: Path) -> dict[str, tuple[str, str]]:
    """Every literal ``{"key": ("de", "en")}`` dict in the module at `path`, in file order."""
    pairs: dict[str, tuple[str, str]] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:  # e.g. ``{**_ERRORS, **_UI}``
                continue
            pairs.update(
                (k, v)
                for k, v in value.items()
                if isinstance(k, str) and isinstance(v, tuple) and len(v) == 2
            )
    return pairs


def new_catalog(lang: str) -> Catalog:
    return Catalog(
        locale=lang,
        domain=DOMAIN,
        project="smart-region-dashboard",
        version="0.1.0",
        copyright_holder="Smart-Region-Team",
        msgid_bugs_address="Smart-Region-Team",
        last_translator="Smart-Region-Team",
        language_team="Smart-Region-Team",
        fuzzy=False,
        header_comment="# Texts of the Smart-Region dashboard. Message ids are symbolic keys.\n",
    )


def merge(pairs: dict[str, tuple[str, str]], locales_dir: Path = LOCALES_DIR) -> list[str]:
    """Append the keys of `pairs` that neither catalog has yet; return them."""
    catalogs = {
        lang: read_catalog(lang, locales_dir) if po_path(lang, locales_dir).is_file() else new_catalog(lang)
        for lang in LANGUAGES
    }
    known = {message_key(m) for c in catalogs.values() for m in c if m.id}
    added = [key for key in pairs if key not in known and key not in RETIRED]
    for index, lang in enumerate(LANGUAGES):
        for key in added:
            german = pairs[key][0]
            catalogs[lang].add(key, pairs[key][index] or german)
    _write(catalogs, locales_dir)
    return added


def _write(catalogs: dict[str, Catalog], locales_dir: Path) -> None:
    for lang, catalog in catalogs.items():
        path = po_path(lang, locales_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(f, catalog, width=0, omit_header=False)


def carry_changes(
    base: dict[str, tuple[str, str]], pairs: dict[str, tuple[str, str]], locales_dir: Path = LOCALES_DIR
) -> tuple[list[str], list[str]]:
    """Texts changed between `base` and `pairs` into the catalogs where they still hold the
    base text; returns (carried keys, keys to edit by hand: plural or already edited here)."""
    changed = [k for k, v in pairs.items() if k in base and base[k] != v]
    carried, by_hand = [], []
    catalogs = {lang: read_catalog(lang, locales_dir) for lang in LANGUAGES}
    for key in changed:
        messages = [catalogs[lang].get(key) for lang in LANGUAGES]
        if all(m is not None and isinstance(m.string, str) for m in messages) and all(
            m.string == base[key][i] for i, m in enumerate(messages)
        ):
            for i, m in enumerate(messages):
                m.string = pairs[key][i] or pairs[key][0]
            carried.append(key)
        else:
            by_hand.append(key)
    _write(catalogs, locales_dir)
    return carried, by_hand


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    base = read_pairs(Path(args.pop(args.index("--base") + 1))) if "--base" in args else {}
    files = [Path(a) for a in args if a != "--base"]
    if not files:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    pairs: dict[str, tuple[str, str]] = {}
    for path in files:
        pairs.update(read_pairs(path))
    added = merge(pairs)
    print(f"{len(pairs)} keys read, {len(added)} added to {LOCALES_DIR}: {', '.join(added) or '-'}")
    if base:
        carried, by_hand = carry_changes(base, pairs)
        print(f"changed texts carried over: {', '.join(carried) or '-'}")
        print(f"changed texts to edit by hand in both .po files: {', '.join(by_hand) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
