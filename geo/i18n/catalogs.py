"""The gettext catalogs: ``locales/<lang>/LC_MESSAGES/messages.po``, compiled in memory.

The .po files are the source of truth and the only thing kept in git; each process compiles
them once, on first use, into gettext translations (Babel's `write_mo` into a buffer), so
nothing is ever written into the installed package. Message ids are the symbolic keys the
code uses (``err.unreadable``); plural entries repeat the key as ``msgid_plural``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"


@dataclass(frozen=True)
class Compiled:
    """One language's translations, plus which keys it really has (gettext itself cannot
    tell a missing key from one translated as itself)."""

    translations: Translations
    keys: frozenset[str]
    plural_keys: frozenset[str]


def po_path(lang: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(lang: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    """The parsed .po catalog of `lang` (for tests and the converter)."""
    with po_path(lang, locales_dir).open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def message_key(message) -> str:
    """The symbolic key of a catalog message (plural entries carry a tuple of ids)."""
    return message.id[0] if isinstance(message.id, tuple) else message.id


def is_translated(message) -> bool:
    """Every form of the message has text (and nothing is marked fuzzy)."""
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(s.strip() for s in strings) and not message.fuzzy


@functools.cache
def compiled(lang: str) -> Compiled:
    """`lang`'s catalog compiled to gettext translations, once per process."""
    catalog = read_catalog(lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    messages = [m for m in catalog if m.id and is_translated(m)]
    return Compiled(
        Translations(buffer, domain=DOMAIN),
        frozenset(message_key(m) for m in messages),
        frozenset(message_key(m) for m in messages if m.pluralizable),
    )
