"""The audit log and layer lists as tables for planners: local times, translated actions, CSV.

Everything here comes from the store, but titles, file names and user names started as
untrusted input, so the CSV export neutralises cells a spreadsheet would run as formulas.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from geo.clock import LOCAL_TZ
from geo.exports import neutralise_formulas
from geo.i18n import format_datetime, t
from geo.store import AuditEntry, LayerInfo, LoginEvent, VersionInfo

ACTIONS = ("create", "replace", "append", "restore", "delete", "undelete", "metadata")


def local_time(iso: str, lang: str = "de") -> str:
    """``2025-05-01T10:00:00+00:00`` → ``01.05.2025, 12:00`` (Berlin time, `lang`'s format); bad input
    unchanged."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso or "")
    return format_datetime(moment, lang)


def action_label(action: str, lang: str = "de") -> str:
    return t(f"ui.audit.{action}", lang) if action in ACTIONS else str(action)


def audit_frame(entries: list[AuditEntry], lang: str = "de") -> pd.DataFrame:
    """In the store's order (newest first), with translated column names and actions."""
    rows = [
        {
            t("ui.audit.col_at", lang): local_time(e.at, lang),
            t("ui.audit.col_user", lang): e.user,
            t("ui.audit.col_action", lang): action_label(e.action, lang),
            t("ui.audit.col_layer", lang): e.layer_id,
            t("ui.audit.col_version", lang): "" if e.version is None else str(e.version),
            t("ui.audit.col_file", lang): e.source_file,
            t("ui.audit.col_detail", lang): e.detail,
        }
        for e in entries
    ]
    names = ("at", "user", "action", "layer", "version", "file", "detail")
    columns = [t(f"ui.audit.col_{c}", lang) for c in names]
    return pd.DataFrame(rows, columns=columns, dtype=str)


def audit_csv(entries: list[AuditEntry], lang: str = "de") -> bytes:
    """The audit log as CSV for Excel (``;``, BOM), formulas neutralised."""
    frame = neutralise_formulas(audit_frame(entries, lang))
    # CRLF rows: a bare CR inside a cell is then quoted, so Excel cannot start a row there
    return frame.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def layers_frame(layers: list[LayerInfo], lang: str = "de") -> pd.DataFrame:
    """The layer list: kind, count, version, last change (who, when)."""
    return pd.DataFrame(
        {
            t("ui.manage.col_title", lang): [i.title for i in layers],
            t("ui.manage.col_id", lang): [i.id for i in layers],
            t("ui.manage.col_kind", lang): [t(f"kind.{i.kind}", lang) for i in layers],
            t("ui.manage.col_count", lang): [i.feature_count for i in layers],
            t("ui.manage.col_version", lang): [i.version for i in layers],
            t("ui.manage.col_changed", lang): [local_time(i.updated_at, lang) for i in layers],
            t("ui.manage.col_by", lang): [i.updated_by for i in layers],
        }
    )


def versions_frame(versions: list[VersionInfo], lang: str = "de") -> pd.DataFrame:
    """A layer's versions, newest first."""
    ordered = sorted(versions, key=lambda v: v.version, reverse=True)
    return pd.DataFrame(
        {
            t("ui.audit.col_version", lang): [v.version for v in ordered],
            t("ui.audit.col_at", lang): [local_time(v.created_at, lang) for v in ordered],
            t("ui.audit.col_user", lang): [v.author for v in ordered],
            t("ui.audit.col_action", lang): [action_label(v.action, lang) for v in ordered],
            t("ui.manage.col_count", lang): [v.feature_count for v in ordered],
            t("ui.audit.col_file", lang): [v.source_file for v in ordered],
        }
    )


def logins_frame(events: list[LoginEvent], lang: str = "de") -> pd.DataFrame:
    """Sign-in attempts, newest first: local time, the name as typed, address, outcome."""
    return pd.DataFrame(
        {
            t("ui.manage.login_at", lang): [
                format_datetime(datetime.fromtimestamp(e.at, LOCAL_TZ), lang, seconds=True) for e in events
            ],
            t("ui.manage.login_account", lang): [e.account for e in events],
            t("ui.manage.login_address", lang): [e.address for e in events],
            t("ui.manage.login_outcome", lang): [t(f"ui.manage.login_{e.outcome}", lang) for e in events],
            t("ui.manage.login_detail", lang): [e.detail for e in events],
        },
        dtype=str,
    )
