"""The one error type users see.

Every failure a user can cause (bad file, missing CRS, unknown layer, …) raises a
`GeoError`. It carries a translation key and parameters, so the UI shows it in the
chosen language and the CLI in German, always as one readable sentence with the reason
and what to do. Any other exception escaping `geo` is a bug.
"""

from __future__ import annotations

from geo.i18n import t


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
