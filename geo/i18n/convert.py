"""Move ``key: (German, English)`` dict entries into the gettext catalogs (developer tool).

    python -m geo.i18n.convert OLD_FILE.py [OLD_FILE.py ...]

OLD_FILE is a Python module holding dicts of ``"key": ("Deutsch", "English")``, as the
pre-Babel ``geo/i18n/__init__.py`` did (e.g. ``git show BRANCH:geo/i18n/__init__.py``).
Keys the catalogs lack are appended to both .po files; entries already there are never
changed, so edited texts and plural forms survive, and `RETIRED` keys stay out. The app
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
        path = po_path(lang, locales_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(f, catalogs[lang], width=0, omit_header=False)
    return added


def main(argv: list[str] | None = None) -> int:
    files = [Path(a) for a in (sys.argv[1:] if argv is None else argv)]
    if not files:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    pairs: dict[str, tuple[str, str]] = {}
    for path in files:
        pairs.update(read_pairs(path))
    added = merge(pairs)
    print(f"{len(pairs)} keys read, {len(added)} added to {LOCALES_DIR}: {', '.join(added) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
