"""The one error type users see.

Every failure a user can cause (bad file, missing CRS, unknown layer, …) raises a
`GeoError`. It carries a translation key and parameters, so the UI shows it in the
chosen language and the CLI in German, always as one readable sentence with the reason
and what to do. Any other exception escaping `geo` is a bug.
"""

from __future__ import annotations

import errno
import sqlite3

from geo.i18n import Msg, t

_ERRNO_REASONS = {
    errno.ENOSPC: "reason.disk_full",
    errno.EDQUOT: "reason.disk_full",
    errno.EACCES: "reason.no_permission",
    errno.EPERM: "reason.no_permission",
    errno.EROFS: "reason.no_permission",
    errno.ENOENT: "reason.not_found",
}
_SQLITE_REASONS = {
    "disk is full": "reason.disk_full",
    "readonly": "reason.no_permission",
    "locked": "reason.busy",
}


class GeoError(Exception):
    """A user-caused failure with a message to show.

    Args:
        key: translation key in `geo.i18n` (prefix ``err.``).
        detail: technical detail for logs, never shown as the message.
        **params: values substituted into the message (file names, counts, …).
    """

    def __init__(self, key: str, detail: str | None = None, **params: object) -> None:
        self.key = key
        self.params = params
        self.detail = detail
        super().__init__(self.message("de"))

    def message(self, lang: str = "de") -> str:
        """The message in `lang` (German default)."""
        return t(self.key, lang, **self.params)

    @property
    def user_msg(self) -> str:
        return self.message("de")


class UnsupportedFormatError(GeoError):
    """The file type is not one we can read."""


class UnreadableFileError(GeoError):
    """The file has a known type but is damaged or not what its name says."""


class MissingCRSError(GeoError):
    """The data has no coordinate reference system and none was given."""


class EmptyLayerError(GeoError):
    """Nothing usable: no spatial layer, or no features with geometry."""


class TooLargeError(GeoError):
    """Upload or archive exceeds the configured limits."""


class LayerNotFoundError(GeoError):
    """A layer id or version that the store does not have."""


def system_reason(exc: BaseException) -> Msg:
    """A readable reason for an OS or SQLite failure ("der Datenträger ist voll"); unknown ones
    keep the system's own text, labelled as such (the full exception goes into `detail`)."""
    key = _ERRNO_REASONS.get(getattr(exc, "errno", None))  # type: ignore[arg-type]
    if key is None and isinstance(exc, sqlite3.Error):
        key = next((k for text, k in _SQLITE_REASONS.items() if text in str(exc)), None)
    if key is not None:
        return Msg(key)
    return Msg("reason.system_error", error=getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)
