"""Command line for IT staff and tests: ``python -m geo COMMAND``.

Any user-caused failure prints one line on stderr and exits with status 2; the store is
unchanged. Other exceptions are bugs and keep their traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

from geo.clock import LOCAL_TZ
from geo.config import Settings, load_settings
from geo.errors import GeoError
from geo.exports import FORMATS, export_to_file
from geo.i18n import t
from geo.store import KINDS, ROLES, LayerInfo, LayerStore, LoginStore, is_database_url, migrate, open_store


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--store",
        "--data",
        dest="store",
        help="store: a folder (GeoPackage) or postgresql://… (PostGIS); env SMART_REGION_STORE/_DATA",
    )
    p = argparse.ArgumentParser(
        prog="python -m geo",
        description="Smart-Region layer store",
        epilog="\n".join(f"{k}: {v}" for k, v in Settings.describe()),
    )
    sub = p.add_subparsers(dest="command", required=True)

    imp = sub.add_parser(
        "import", parents=[common], help="import a file or a service's layer as new layer(s)"
    )
    imp.add_argument("path", help="a file, or the address of a WFS or OGC API - Features service")
    imp.add_argument("--layer", help="only this layer of a multi-layer file; the layer of a service")
    imp.add_argument("--kind", choices=KINDS, help="layer kind (default: guessed)")
    imp.add_argument("--title", help="layer title (default: from the file)")
    imp.add_argument("--crs", help="CRS for files without one, e.g. 25832")
    imp.add_argument("--x", help="CSV column with x/longitude")
    imp.add_argument("--y", help="CSV column with y/latitude")
    imp.add_argument(
        "--swap-xy", action="store_true", help="CSV: read x as y and y as x (column names swapped)"
    )
    imp.add_argument("--attribution", help="attribution/licence text")
    imp.add_argument(
        "--role",
        action="append",
        type=_role,
        default=[],
        metavar="ROLE=COLUMN",
        help=f"column of a role ({', '.join(ROLES)}); repeatable; default: guessed",
    )
    imp.add_argument("--json", action="store_true", help="print the report as JSON")

    lst = sub.add_parser("list", parents=[common], help="list layers")
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--all", action="store_true", help="include deleted layers")

    exp = sub.add_parser("export", parents=[common], help="export a layer")
    exp.add_argument("id")
    exp.add_argument("--format", choices=FORMATS, required=True)
    exp.add_argument("out", type=Path)

    for name, helptext in (
        ("history", "list versions"),
        ("delete", "move to trash"),
        ("undelete", "restore from trash"),
    ):
        sub.add_parser(name, parents=[common], help=helptext).add_argument("id")
    res = sub.add_parser("restore", parents=[common], help="restore a version as the newest")
    res.add_argument("id")
    res.add_argument("version", type=int)

    demo = sub.add_parser("demo", parents=[common], help="(re)build the demo layers")
    demo.add_argument("--today", type=date.fromisoformat, help="reference date for demo events")

    bak = sub.add_parser("backup", parents=[common], help="consistent copy of the data directory")
    bak.add_argument("target", type=Path)
    mig = sub.add_parser(
        "migrate", parents=[common], help="copy the whole store to another backend and verify it"
    )
    mig.add_argument("--to", required=True, help="target: postgresql://… or an empty folder")
    mig.add_argument("--from", dest="source", help="source store (default: --store / the configured one)")
    sub.add_parser("hash-password", help="argon2 hash of a planner password (from stdin or a prompt)")
    unl = sub.add_parser("unlock", parents=[common], help="clear the sign-in waits of a planner account")
    unl.add_argument("name")
    logs = sub.add_parser("logins", parents=[common], help="recent sign-in attempts, newest first")
    logs.add_argument("--account", help="only attempts at this account")
    logs.add_argument("--limit", type=int, default=50)
    return p


def _role(text: str) -> tuple[str, str]:
    role, sep, column = text.partition("=")
    if not sep or role not in ROLES:
        raise argparse.ArgumentTypeError(f"ROLE=COLUMN expected, ROLE one of {', '.join(ROLES)}")
    return role, column


def _info_line(info: LayerInfo) -> str:
    return (
        f"{info.id}\tv{info.version}\t{info.kind}\t{info.feature_count}\t{info.source_crs}\t"
        f"{info.title}" + ("\t(gelöscht)" if info.deleted else "")
    )


def _cmd_import(store: LayerStore, args: argparse.Namespace) -> int:
    """The upload page's write path (`geo.imports.save`), with the options as the form's choices."""
    from geo.imports.save import import_file, suggested_request
    from geo.imports.services import is_service_url
    from geo.maps.layer_caches import cut_tiles

    path = None if is_service_url(args.path) else Path(args.path)  # a service: its address
    if path is not None and not path.is_file():
        raise GeoError("err.file_not_found", name=str(path))
    saved = import_file(
        store,
        args.path if path is None else path.name,
        path,
        author="cli",
        layer=args.layer,
        crs=args.crs,
        x=args.x,
        y=args.y,
        swap_xy=args.swap_xy,
        choose=lambda item: suggested_request(
            item, title=args.title, kind=args.kind, attribution=args.attribution, roles=dict(args.role)
        ),
    )
    data = args.store if args.store and not is_database_url(args.store) else load_settings().data
    tiles = [cut_tiles(store, s.info, data) for s in saved]  # the first map visit draws them at once
    if args.json:
        pairs = zip(saved, tiles, strict=True)
        results = [{"id": s.info.id, "report": s.report.to_dict(), "tiles": n} for s, n in pairs]
        print(json.dumps(results, ensure_ascii=False, indent=2, default=str))
        return 0
    for s, name in zip(saved, tiles, strict=True):
        print(_report_text(s.report))
        print(f"gespeichert als: {s.info.id} (Version {s.info.version})")
        if name:
            print(f"Kartenkacheln: {name}")
    return 0


def _report_text(report) -> str:
    """The import report in German: counts, then one line per drop reason and per warning."""
    lines = [
        t(
            "cli.report_summary",
            file=report.source_file,
            layer=report.layer_name,
            read=report.features_read,
            stored=report.features_stored,
            repaired=report.repaired,
            crs=report.source_crs or "–",
        )
    ]
    lines += ["  " + t("cli.report_dropped", text=text) for text in report.dropped_texts()]
    lines += ["  " + t("cli.report_warning", text=text) for text in report.warning_texts()]
    return "\n".join(lines)


def _cmd_migrate(args: argparse.Namespace) -> int:
    result, copied = migrate(args.source or args.store or load_settings().store, args.to)
    print(
        ("kopiert und geprüft: " if copied else "Ziel enthält bereits diese Daten, geprüft: ") + result.text()
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "migrate":
        return _cmd_migrate(args)
    store = open_store(args.store or load_settings().store)
    try:
        return _command(store, args)
    finally:
        if hasattr(store, "close"):  # a database store gives its connections back at once
            store.close()


def _command(store, args: argparse.Namespace) -> int:
    if args.command == "import":
        return _cmd_import(store, args)
    if args.command == "list":
        layers = store.list_layers(include_deleted=args.all)
        if args.json:
            print(json.dumps([i.to_dict() for i in layers], ensure_ascii=False, indent=2))
        else:
            print("\n".join(_info_line(i) for i in layers) or "(keine Ebenen)")
    elif args.command == "export":
        size = export_to_file(store.read(args.id), args.format, args.out, layer_name=args.id)
        print(f"{args.out}: {size} Bytes")
    elif args.command == "history":
        for v in store.history(args.id):
            print(f"v{v.version}\t{v.created_at}\t{v.action}\t{v.author}\t{v.feature_count}\t{v.source_file}")
    elif args.command == "restore":
        print(_info_line(store.restore(args.id, args.version, author="cli")))
    elif args.command == "delete":
        store.delete(args.id, author="cli")
        print(f"{args.id}: in den Papierkorb verschoben (wiederherstellen: python -m geo undelete {args.id})")
    elif args.command == "undelete":
        print(_info_line(store.undelete(args.id, author="cli")))
    elif args.command == "demo":
        from geo.demo import build_demo

        for info in build_demo(store, today=args.today):
            print(_info_line(info))
    elif args.command == "backup":
        print(f"Sicherung: {store.backup(args.target)}")
    elif args.command in ("unlock", "logins"):
        _cmd_logins(store, args)
    return 0


def _cmd_logins(store: LoginStore, args: argparse.Namespace) -> None:
    from geo.auth import unlock

    if args.command == "unlock":
        cleared = unlock(store, args.name)
        print(f"{args.name}: {cleared} Anmelde-Zähler zurückgesetzt, die Wartezeiten sind aufgehoben")
        return
    for e in store.login_events(account=args.account, limit=max(1, args.limit)):
        at = datetime.fromtimestamp(e.at, LOCAL_TZ).strftime("%d.%m.%Y %H:%M:%S")
        print(f"{at}\t{e.outcome}\t{e.account}\t{e.address}\t{e.detail}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "hash-password":
            from geo.auth import hash_password, read_new_password

            print(hash_password(read_new_password()))
            return 0
        return _run(args)
    except GeoError as err:
        print(f"Fehler: {err.message('de')}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
