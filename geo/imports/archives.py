"""Safe unpacking of ZIP uploads (zipped Shapefiles and other geodata).

A ZIP from the internet is hostile until proven otherwise: member names may point outside
the target folder (zip-slip), and a few kilobytes may inflate to gigabytes (zip bomb). We
check names and declared sizes first and still count the real bytes while extracting,
because declared sizes can lie.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from geo.config import Settings
from geo.errors import EmptyLayerError, GeoError, TooLargeError, UnreadableFileError
from geo.i18n import Msg

# Files we can import from an archive; everything else (readme, styles, sidecars) is ignored.
DATA_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".kml")
SHAPEFILE_SIDECARS = (".shx", ".dbf")
_CHUNK = 1 << 20
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}


def extract_zip(zip_path: Path, dest: Path, name: str, settings: Settings) -> list[Path]:
    """Unpack `zip_path` into `dest` after safety checks; return the extracted files.

    `name` is the user's file name, used only in messages.
    """
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFileError(
            "err.unreadable", detail=str(exc), name=name, reason=Msg("reason.zip_invalid")
        ) from None
    with archive:
        members = archive.infolist()
        _check_members(members, name, settings)
        # junk first: ZipInfo.is_dir() fails on an empty member name
        wanted = [m for m in members if not _is_junk(m.filename) and not m.is_dir()]
        limit = settings.max_unzipped_mb * 1024 * 1024
        if sum(m.file_size for m in wanted) > limit:
            raise TooLargeError("err.zip_too_large", name=name, limit_mb=settings.max_unzipped_mb)
        written = 0
        paths = []
        for member in wanted:
            target = _target_path(dest, member.filename, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            written = _copy_member(archive, member, target, written, limit, name, settings)
            paths.append(target)
    return paths


def find_data_files(paths: list[Path]) -> list[Path]:
    """The importable files among `paths`; a Shapefile counts only with its .shx and .dbf."""
    found = []
    for path in sorted(paths):
        suffix = path.suffix.lower()
        if suffix not in DATA_SUFFIXES:
            continue
        if suffix == ".shp" and not shapefile_complete(path):
            continue
        found.append(path)
    return found


def shapefile_complete(shp: Path) -> bool:
    """Whether the .shx and .dbf sidecars lie beside `shp` (any letter case)."""
    siblings = {p.name.lower() for p in shp.parent.iterdir()}
    stem = shp.stem.lower()
    return all(f"{stem}{ext}" in siblings for ext in SHAPEFILE_SIDECARS)


def _check_members(members: list[zipfile.ZipInfo], name: str, settings: Settings) -> None:
    """Refuse archives with too many members, unsafe paths or encryption."""
    if len(members) > settings.max_zip_members:
        raise TooLargeError(
            "err.zip_too_many_files", name=name, count=len(members), limit=settings.max_zip_members
        )
    for member in members:
        reason = _unsafe_reason(member.filename)
        if reason:
            raise GeoError("err.zip_unsafe", detail=member.filename, name=name, reason=reason)
        if member.flag_bits & 0x1:
            raise UnreadableFileError("err.unreadable", name=name, reason=Msg("reason.zip_encrypted"))


def _unsafe_reason(member: str) -> Msg | None:
    """Why `member` must not be extracted, or None when it is harmless."""
    if "\x00" in member:
        return Msg("reason.zip_bad_character")
    if member.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", member):
        return Msg("reason.zip_absolute_path", member=member)
    if ".." in re.split(r"[\\/]", member):
        return Msg("reason.zip_parent_path", member=member)
    return None


def _is_junk(member: str) -> bool:
    """macOS resource forks and desktop metadata files that zip tools add."""
    parts = [p for p in re.split(r"[\\/]", member) if p]
    if not parts:
        return True
    base = parts[-1]
    return parts[0] == "__MACOSX" or base.startswith("._") or base.lower() in _JUNK_NAMES


def _target_path(dest: Path, member: str, name: str) -> Path:
    """Where `member` goes inside `dest`; never outside it."""
    parts = [p for p in re.split(r"[\\/]", member) if p not in ("", ".")]
    target = dest.joinpath(*parts).resolve()
    if not target.is_relative_to(dest.resolve()):
        raise GeoError(
            "err.zip_unsafe", detail=member, name=name, reason=Msg("reason.zip_outside", member=member)
        )
    return target


def _copy_member(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    target: Path,
    written: int,
    limit: int,
    name: str,
    settings: Settings,
) -> int:
    """Stream one member to `target`, stopping once the real total exceeds `limit`."""
    try:
        with archive.open(member) as src, open(target, "wb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > limit:
                    raise TooLargeError("err.zip_too_large", name=name, limit_mb=settings.max_unzipped_mb)
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise UnreadableFileError(
            "err.unreadable", detail=str(exc), name=name, reason=Msg("reason.zip_damaged")
        ) from None
    return written


def no_data_error(name: str) -> EmptyLayerError:
    """The error for an archive without any importable geodata."""
    return EmptyLayerError("err.zip_no_data", name=name)
