"""The store: a few small interfaces that a backend implements together, chosen by URL.

`LayerStore` (layers with versions, trash and audit log), `DocumentStore` (small versioned
JSON documents), `RoundStore` (participation rounds), `LoginStore` (sign-in counters, trusted
browsers and the sign-in log) and `BackupStore` (a consistent copy). `open_store(url)` returns
one object that implements all of them (`Store`); code types against the narrow interface it
needs. A folder path → GeoPackage; ``postgresql://`` → PostGIS. Nothing outside `geo/store/` knows
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

    from geo.participation.joincode import JoinCode
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
class ThrottlePolicy:
    """How one sign-in counter slows repeated attempts down: growing waits, never a fixed lock.

    The first `free_attempts` attempts in a row are checked at once; the attempt that uses up
    the last of them, and every one after it, makes the next attempt wait `wait_after(number)`
    (doubling from `base_delay` up to `max_delay`). A run is forgotten after `window_seconds`
    without attempts, or when a right password ends it.
    """

    free_attempts: int = 5
    base_delay: float = 2.0
    max_delay: float = 900.0
    window_seconds: float = 3600.0

    def wait_after(self, number: int) -> float:
        """Seconds the next attempt must wait after attempt `number` of a run (0: none)."""
        if number < self.free_attempts:
            return 0.0
        return min(self.max_delay, self.base_delay * 2 ** (number - self.free_attempts))

    def attempt(
        self,
        account: str,
        source: str,
        now: float,
        count: int,
        last_at: float,
        blocked_until: float,
        serial: int,
    ) -> LoginAttempt:
        """The next attempt from a counter's stored row (what every backend stores back, unless
        it is refused): refused while an earlier attempt's wait runs, else counted with its wait."""
        if blocked_until > now:
            return LoginAttempt(account, source, False, 0, blocked_until, serial)
        if now - last_at > self.window_seconds:
            count = 0  # the earlier failures are forgotten
        number = count + 1
        wait = self.wait_after(number)
        return LoginAttempt(account, source, True, number, now + wait if wait else 0.0, serial + 1)


@dataclass(frozen=True)
class LoginAttempt:
    """A sign-in attempt as `LoginStore.count_login` counted it, before its password is checked."""

    account: str
    source: str  # which counter of the account ("": all sources together; see `LoginStore`)
    allowed: bool  # False: too early, the password must not be checked
    number: int  # place in the current run of attempts not proven right (1 = first); 0 if refused
    blocked_until: float  # epoch seconds before which the next attempt is refused (0: none)
    serial: int  # the counter's attempt serial right after this attempt (see `login_succeeded`)

    def retry_in(self, now: float) -> float:
        """Seconds until this counter lets the next attempt through (0: at once)."""
        return max(0.0, self.blocked_until - now)


LOGIN_OUTCOMES = (
    "ok",
    "wrong",
    "throttled",
)  # "wrong": name or password; "throttled": refused before any check


@dataclass(frozen=True)
class LoginEvent:
    """One sign-in attempt in the log planners see: when, which name, from where, what came of it."""

    at: float  # epoch seconds
    account: str  # the name as typed (cleaned, at most 64 characters)
    address: str  # the client address (behind a trusted proxy: the forwarded one)
    outcome: str  # one of LOGIN_OUTCOMES
    detail: str = ""  # e.g. which counter refused and for how long


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
    """Participation rounds ("Beteiligung"); the rules are in `geo.participation.rounds`.

    `device` is the verified id of a server-issued device token (`geo.participation.devices`),
    `address` the client address's counting key (`geo.security.addresses.client_key`, "" when
    unknown); both are stored only as hashes with the round's salt. The limits (per device, per
    address, cap, burst → held for moderation, join code) hold inside one write each.
    """

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
        address: str = "",
        request_id: str | None = None,
        now: datetime | None = None,
    ) -> Contribution: ...

    def support(
        self,
        round_id: str,
        contribution_id: int,
        *,
        device: str,
        address: str = "",
        now: datetime | None = None,
    ) -> int: ...

    def join_round(self, round_id: str, *, device: str, code: str, now: datetime | None = None) -> None: ...

    def admitted(self, round_id: str, device: str) -> bool: ...

    def join_code(self, round_id: str, now: datetime | None = None) -> JoinCode: ...

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
    """Sign-in counters, trusted browsers and the sign-in log, shared by every session and process.

    A counter is identified by (account, source): ``("planer", "")`` counts the account's
    attempts from everywhere, ``("planer", "addr:10.0.0.7")`` those from one address,
    ``("", "addr:10.0.0.7")`` that address's attempts at any account; `geo.auth` chooses them.
    `count_login` counts an attempt *before* its password is checked, in one atomic step (read,
    increment, decide the wait), so parallel attempts never get more password checks than the
    policy allows; no write shortens a wait that another attempt set.
    """

    def count_login(
        self, account: str, policy: ThrottlePolicy, now: float, source: str = ""
    ) -> LoginAttempt: ...

    def login_succeeded(self, attempt: LoginAttempt) -> bool: ...

    def trust_device(self, account: str, device: str, until: float) -> None: ...

    def is_trusted_device(self, account: str, device: str, now: float) -> bool: ...

    def unlock(self, account: str) -> int: ...

    def record_login(self, event: LoginEvent, keep_seconds: float) -> None: ...

    def login_events(
        self, *, account: str | None = None, since: float = 0.0, limit: int = 200
    ) -> list[LoginEvent]: ...


@runtime_checkable
class BackupStore(Protocol):
    """A consistent copy of everything the store holds, taken while the app runs.

    PostGIS writes its backup as a GeoPackage store folder (the same code as ``python -m geo
    migrate --to DIR``): the contract below holds for both, and operators get a portable copy.

    `target_dir` must be new or empty; afterwards ``open_store(str(target_dir))`` opens the
    copy with every layer, version, trash entry, audit entry, document, round and the sign-in
    log (the sign-in counters are left out: a restored store starts unthrottled). Refuses a
    non-empty target with a `GeoError`.
    """

    def backup(self, target_dir: str | Path) -> Path: ...

    def dump(self) -> Snapshot:
        """Everything but the sign-in counters, for `geo.store.transfer` (migration)."""
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
    "LOGIN_OUTCOMES",
    "ROLES",
    "AuditEntry",
    "BackupStore",
    "DocumentStore",
    "LayerInfo",
    "LayerStore",
    "LoginAttempt",
    "LoginEvent",
    "LoginStore",
    "RoundStore",
    "Snapshot",
    "Store",
    "ThrottlePolicy",
    "Verification",
    "VersionInfo",
    "frame_digest",
    "is_database_url",
    "migrate",
    "open_store",
    "slugify",
]
