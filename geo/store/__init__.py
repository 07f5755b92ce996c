"""The store: a few small interfaces that a backend implements together, chosen by URL.

`LayerStore` (layers with versions, trash and audit log), `DocumentStore` (small versioned
JSON documents), `RoundStore` (participation rounds), `LoginStore` (the wrong-password
counter) and `BackupStore` (a consistent copy). `open_store(url)` returns one object that
implements all of them (`Store`); code types against the narrow interface it needs. A folder
path → GeoPackage; ``postgresql://`` → PostGIS. Nothing outside `geo/store/` knows
which backend runs, and nothing outside imports a submodule: every public name is here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from geo.store.rules import KINDS, ROLES, slugify
from geo.store.transfer import Snapshot, Verification, frame_digest, migrate

if TYPE_CHECKING:
    from datetime import datetime

    import geopandas as gpd

    from geo.participation.rounds import Contribution, Round


@dataclass(frozen=True)
class LayerInfo:
    """Catalogue entry of a layer in its current version."""

    id: str
    title: str
    kind: str
    source_file: str
    source_crs: str  # e.g. "EPSG:25832"; the stored geometries are in this CRS
    feature_count: int
    bbox: tuple[float, float, float, float]  # lon/lat (EPSG:4326): minx, miny, maxx, maxy
    attribution: str
    created_at: str  # ISO 8601, UTC
    updated_at: str
    version: int
    geometry_type: str = ""
    roles: dict[str, str] = field(default_factory=dict)  # role -> column name
    style: dict[str, str] = field(default_factory=dict)  # colour, symbol, category column
    updated_by: str = ""
    deleted: bool = False

    def to_dict(self) -> dict:
        d = self.__dict__.copy()
        d["bbox"] = list(self.bbox)
        d["crs"] = self.source_crs
        return d


@dataclass(frozen=True)
class VersionInfo:
    """One stored version of a layer (versions are never overwritten)."""

    layer_id: str
    version: int
    created_at: str
    author: str
    action: str  # "create", "replace", "append", "restore"
    source_file: str
    feature_count: int
    source_crs: str


@dataclass(frozen=True)
class AuditEntry:
    """One change to the store: who did what, when, with which file."""

    at: str
    user: str
    action: str  # create, replace, append, restore, delete, undelete, metadata
    layer_id: str
    version: int | None
    source_file: str
    detail: str


@dataclass(frozen=True)
class LockoutPolicy:
    """How hard repeated wrong passwords are slowed down and locked out."""

    max_failures: int = 5  # failures in a row before the account is locked
    lock_seconds: float = 300.0
    base_delay: float = 0.5  # seconds after the first failure, doubled for each further one
    max_delay: float = 4.0
    window_seconds: float = 900.0  # failures older than this are forgotten

    def delay(self, failures: int) -> float:
        return min(self.max_delay, self.base_delay * 2 ** max(0, failures - 1))

    def attempt(
        self, account: str, now: float, count: int, last_at: float, locked_until: float, serial: int
    ) -> LoginAttempt:
        """The next attempt from an account's stored counter (what every backend stores back,
        unless it is refused); the attempt that reaches `max_failures` sets the lock."""
        if locked_until > now:
            return LoginAttempt(account, False, 0, locked_until, serial)
        if locked_until or now - last_at > self.window_seconds:
            count = 0  # a lock has run out, or the earlier failures are forgotten
        number = count + 1
        locked_until = now + self.lock_seconds if number >= self.max_failures else 0.0
        return LoginAttempt(account, True, number, locked_until, serial + 1)


@dataclass(frozen=True)
class LoginAttempt:
    """A sign-in attempt as `LoginStore.count_login` counted it, before its password is checked."""

    account: str
    allowed: bool  # False: the account is locked and the password must not be checked
    number: int  # place in the current run of attempts not proven right (1 = first); 0 if refused
    locked_until: float  # epoch seconds the account is locked until (0: not locked)
    serial: int  # the account's attempt counter right after this attempt (see `login_succeeded`)

    def locked_for(self, now: float) -> float:
        """Seconds until the account may try again (0 when not locked)."""
        return max(0.0, self.locked_until - now)


@runtime_checkable
class LayerStore(Protocol):
    """Layers with versions, trash and an audit log. All writes are atomic and keep earlier versions."""

    location: str

    def list_layers(self, include_deleted: bool = False) -> list[LayerInfo]: ...

    def get(self, layer_id: str) -> LayerInfo: ...

    def read(self, layer_id: str, version: int | None = None) -> gpd.GeoDataFrame: ...

    def write(
        self,
        gdf: gpd.GeoDataFrame,
        *,
        title: str,
        kind: str,
        source_file: str = "",
        attribution: str = "",
        roles: dict[str, str] | None = None,
        style: dict[str, str] | None = None,
        author: str = "system",
    ) -> LayerInfo: ...

    def replace(
        self, layer_id: str, gdf: gpd.GeoDataFrame, *, source_file: str = "", author: str = "system"
    ) -> LayerInfo: ...

    def append(
        self, layer_id: str, gdf: gpd.GeoDataFrame, *, source_file: str = "", author: str = "system"
    ) -> LayerInfo: ...

    def update_metadata(self, layer_id: str, *, author: str = "system", **changes: object) -> LayerInfo: ...

    def delete(self, layer_id: str, *, author: str = "system") -> None: ...

    def undelete(self, layer_id: str, *, author: str = "system") -> LayerInfo: ...

    def history(self, layer_id: str) -> list[VersionInfo]: ...

    def restore(self, layer_id: str, version: int, *, author: str = "system") -> LayerInfo: ...

    def audit_log(self, limit: int | None = None) -> list[AuditEntry]: ...


@runtime_checkable
class DocumentStore(Protocol):
    """Small JSON documents beside the layers (guided tours, …): versioned, never lost, audited."""

    def list_documents(self, kind: str) -> list[str]: ...

    def get_document(self, kind: str, name: str) -> dict | None: ...

    def put_document(self, kind: str, name: str, data: dict | None, *, author: str = "system") -> int: ...

    def claim_document(self, kind: str, name: str, data: dict, *, author: str = "system") -> bool: ...

    def document_history(self, kind: str, name: str) -> list[tuple[int, str, str, dict | None]]: ...


@runtime_checkable
class RoundStore(Protocol):
    """Participation rounds ("Beteiligung"); the rules are in `geo.participation.rounds`."""

    def create_round(self, rnd: Round, *, author: str = "system") -> Round: ...

    def list_rounds(self) -> list[Round]: ...

    def get_round(self, round_id: str) -> Round: ...

    def close_round(self, round_id: str, *, author: str = "system") -> Round: ...

    def contribute(
        self,
        round_id: str,
        *,
        lon: float,
        lat: float,
        category: str,
        text: str,
        device: str,
        request_id: str | None = None,
        now: datetime | None = None,
    ) -> Contribution: ...

    def support(
        self, round_id: str, contribution_id: int, *, device: str, now: datetime | None = None
    ) -> int: ...

    def supported_by(self, round_id: str, device: str) -> set[int]: ...

    def list_contributions(
        self, round_id: str, *, include_hidden: bool = False, after_id: int = 0
    ) -> list[Contribution]: ...

    def moderate(
        self, contribution_id: int, action: str, *, author: str, reason: str = ""
    ) -> Contribution: ...

    def round_to_layer(
        self, round_id: str, *, title: str, kind: str = "other", author: str = "system"
    ) -> LayerInfo: ...


@runtime_checkable
class LoginStore(Protocol):
    """The wrong-password counter per account, shared by every session and server process.

    `count_login` counts an attempt *before* its password is checked, in one atomic step
    (read, increment, decide the lock), so parallel attempts can never get more password
    checks than `LockoutPolicy.max_failures`. No write lowers a lock that another attempt set.
    """

    def count_login(self, account: str, policy: LockoutPolicy, now: float) -> LoginAttempt: ...

    def login_succeeded(self, attempt: LoginAttempt) -> bool: ...


@runtime_checkable
class BackupStore(Protocol):
    """A consistent copy of everything the store holds, taken while the app runs.

    PostGIS writes its backup as a GeoPackage store folder (the same code as ``python -m geo
    migrate --to DIR``): the contract below holds for both, and operators get a portable copy.

    `target_dir` must be new or empty; afterwards ``open_store(str(target_dir))`` opens the
    copy with every layer, version, trash entry, audit entry, document and round (the
    wrong-password counters are left out). Refuses a non-empty target with a `GeoError`.
    """

    def backup(self, target_dir: str | Path) -> Path: ...

    def dump(self) -> Snapshot:
        """Everything but the wrong-password counters, for `geo.store.transfer` (migration)."""
        ...

    def load(self, snapshot: Snapshot) -> None:
        """Copy a `dump` of any backend into this store, which must be empty; all or nothing."""
        ...


@runtime_checkable
class Store(LayerStore, DocumentStore, RoundStore, LoginStore, BackupStore, Protocol):
    """Everything a backend implements; what `open_store` returns."""


def is_database_url(url: str) -> bool:
    """True for a PostgreSQL URL (PostGIS backend), False for a folder (GeoPackage backend)."""
    return str(url).startswith(("postgresql://", "postgres://"))


def open_store(url: str) -> Store:
    """Open the store at `url`: ``postgresql://user@host:port/db`` → PostGIS, else a folder
    path → GeoPackage."""
    if is_database_url(url):
        from geo.store.postgis import PostGISStore

        return PostGISStore(url)
    from geo.store.geopackage import GeoPackageStore

    return GeoPackageStore(url)


__all__ = [
    "KINDS",
    "ROLES",
    "AuditEntry",
    "BackupStore",
    "DocumentStore",
    "LayerInfo",
    "LayerStore",
    "LockoutPolicy",
    "LoginAttempt",
    "LoginStore",
    "RoundStore",
    "Snapshot",
    "Store",
    "Verification",
    "VersionInfo",
    "frame_digest",
    "is_database_url",
    "migrate",
    "open_store",
    "slugify",
]
