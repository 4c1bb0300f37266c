"""The `rightsdesk` command: serve, seed, ingest, parse, check, renditions, database, keys."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import httpx
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from api.observability import uvicorn_log_config
from api.runtime import Runtime
from assets.backup import backup as make_backup
from assets.backup import restore as restore_backup
from assets.config import Settings
from assets.db import session_scope
from assets.feeds.worker import FeedProgress, FeedWorkers
from assets.fsck import DEFAULT_MIN_AGE, temp_dirs_of
from assets.fsck import fsck as run_fsck
from assets.ingest import ingest_file
from assets.keys import (
    Role,
    create_key,
    has_admin_key,
    list_keys,
    live_keys_named,
    revoke_key,
)
from assets.migrations import upgrade
from assets.rights_reading import parsed_caption_to_json
from assets.spool import CHUNK, spool
from captions import parse_caption
from rights import Channel, Outcome, Purpose, RightsdeskError, UnknownTerritory, Use
from rights.territory import read_territory

app = typer.Typer(
    help="rightsdesk: news photos and the rights that travel with them.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)
agreements_app = typer.Typer(
    help="Agreements with suppliers, kept in a TOML file.", no_args_is_help=True
)
alerts_app = typer.Typer(help="Usages a change of rights no longer allows.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(agreements_app, name="agreements")
app.add_typer(alerts_app, name="alerts")

console = Console(stderr=True)
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXIT_FOR = {Outcome.ALLOW: 0, Outcome.DENY: 1, Outcome.REVIEW: 2}


def _settings() -> Settings:
    """The settings from the environment, or a clear refusal naming each bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            name = f"RIGHTSDESK_{where.upper()}" if where else "settings"
            console.print(f"[red]refusing to start:[/] {name}: {error['msg']}")
        raise typer.Exit(2) from exc


def _runtime(migrate: bool = True) -> Runtime:
    runtime = Runtime.from_settings(_settings())
    if migrate:
        upgrade(runtime.engine)
    return runtime


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the catalogue's schema to the latest version."""
    from assets.reparse import reparse as reparse_assets

    runtime = _runtime(migrate=False)
    upgrade(runtime.engine)
    console.print(f"[green]schema up to date[/] at {_redacted(runtime.settings)}")
    # rows stored before each block's values were kept: their files are read again
    count = reparse_assets(runtime.engine, "0", "cli", blobs=runtime.blobs)
    if count:
        console.print(f"{count} older asset(s) read again from their files")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
    show_admin_key: Annotated[
        bool, typer.Option(help="print the first admin key (for a desk on your own machine)")
    ] = False,
) -> None:
    """Migrate the schema, then serve the HTTP API and the picture desk."""
    import uvicorn

    runtime = _runtime()
    _announce_auth(runtime)
    console.print(f"serving on http://{host}:{port}  (catalogue: {_redacted(runtime.settings)})")
    console.print(f"[bold]the picture desk:[/] http://{host}:{port}/")
    key_file = runtime.settings.data_dir / "admin-key.txt"
    if show_admin_key and runtime.settings.auth_enabled and key_file.exists():
        console.print(f"  sign in with the admin key: {key_file.read_text().strip()}")
    uvicorn.run(
        "api.asgi:app", host=host, port=port, workers=workers, log_config=uvicorn_log_config()
    )


@app.command()
def seed() -> None:
    """Load the sample images in seeds/ (idempotent: already stored bytes are skipped)."""
    ingest(sorted(SEEDS.glob("*.jpg")))


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders of images")],
    apply_kills: Annotated[
        bool,
        typer.Option(
            "--apply-kills",
            help="kill notices in these files kill outright (a trusted agency feed); by"
            " default each is a kill request for a rights manager",
        ),
    ] = False,
) -> None:
    """Store images from disk, reading each one's caption and rights from the file.

    An ODRL policy beside an image (`photo.jpg.odrl.jsonld` or `photo.odrl.jsonld`) adds its
    restrictions; one that cannot be read sends the image's checks to review.
    """
    from assets.policies import apply_sidecar, is_policy_sidecar, sidecar_of

    runtime = _runtime()
    files = [
        p
        for path in paths
        for p in (sorted(path.rglob("*")) if path.is_dir() else [path])
        if p.is_file() and not is_policy_sidecar(p)
    ]
    added = duplicates = failed = 0
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("ingesting", total=len(files))
        for path in files:
            try:
                with path.open("rb") as handle:
                    spooled = spool(
                        iter(lambda: handle.read(CHUNK), b""),
                        runtime.spool_dir,
                        runtime.settings.max_upload_bytes,
                    )
                result = ingest_file(
                    runtime.engine,
                    runtime.blobs,
                    spooled,
                    path.name,
                    None,
                    "cli:feed" if apply_kills else "cli",
                    may_kill=apply_kills,
                )
                duplicates += result.duplicate
                added += not result.duplicate
                sidecar = sidecar_of(path)
                if sidecar is not None:
                    with session_scope(runtime.engine) as session:
                        asset = session.merge(result.asset)
                        apply_sidecar(session, asset, sidecar, "cli")
            except RightsdeskError as exc:
                failed += 1
                progress.console.print(f"[red]skipped[/] {path}: {exc}")
            progress.advance(task)
    console.print(f"{added} added, {duplicates} already stored, {failed} skipped")
    if failed:
        raise typer.Exit(1)


@app.command()
def watch(
    feeds_file: Annotated[
        Path | None,
        typer.Option("--feeds", help="TOML file of [[feed]] tables (default RIGHTSDESK_FEEDS)"),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="a folder or s3://bucket/prefix to watch (repeatable)"),
    ] = None,
    once: Annotated[
        bool, typer.Option(help="handle what is ready now, then exit (no watching)")
    ] = False,
    metrics_port: Annotated[
        int | None, typer.Option(help="serve this process's /metrics on this port")
    ] = None,
) -> None:
    """Watch agency feeds (folders, S3 prefixes): ingest each complete file with its sidecar,
    then move it to done/ or rejected/. Several `watch` processes may share one feed."""
    import signal
    import threading

    from rich.live import Live

    from assets.feeds.config import FeedConfigError, configured_feeds

    runtime = _runtime()
    settings = runtime.settings
    places = ",".join(source or []) or (None if feeds_file else settings.feed_sources)
    try:
        feeds = configured_feeds(feeds_file or settings.feeds, places)
    except FeedConfigError as exc:
        console.print(f"[red]refusing to start:[/] {exc}")
        raise typer.Exit(2) from exc
    if not feeds:
        console.print(
            "[red]no feeds configured:[/] pass --feeds FILE or --source PLACE, or set"
            " RIGHTSDESK_FEEDS / RIGHTSDESK_FEED_SOURCES (docs/feeds.md)"
        )
        raise typer.Exit(2)
    if metrics_port is not None:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="127.0.0.1")
    progress: dict[str, FeedProgress] = {}
    workers = FeedWorkers(
        runtime.catalogue(), feeds, on_change=lambda f, p: progress.__setitem__(f.name, p)
    )
    if once:
        for runner in workers.runners:
            runner.run_once()
            runner.source.close()
        _print_feed_totals(workers)
        return
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    names = ", ".join(f"{f.name} ({f.source})" for f in feeds)
    console.print(f"watching {names}; stop with Ctrl-C")
    workers.start()
    with Live(_feed_line(progress), console=console, refresh_per_second=4) as live:
        while not stopping.wait(0.25):
            live.update(_feed_line(progress))
    workers.stop()
    _print_feed_totals(workers)


def _feed_line(progress: dict[str, FeedProgress]) -> Text:
    """One live line per feed: files seen, ingested, rejected, retried, waiting, the last."""
    text = Text()
    for name, p in sorted(progress.items()):
        lag = f" p95 lag {sorted(p.lags)[int(len(p.lags) * 0.95)]:.2f}s" if p.lags else ""
        text.append(f"{name}: ", style="bold")
        text.append(f"{p.seen} seen, {p.ingested} in, ")
        text.append(f"{p.rejected} rejected", style="red" if p.rejected else "")
        text.append(f", {p.retried} retrying, {p.waiting} waiting{lag}  {p.last[:60]}\n")
    return text or Text("waiting for files…")


def _print_feed_totals(workers: FeedWorkers) -> None:
    for runner in workers.runners:
        p = runner.progress
        console.print(
            f"{runner.feed.name}: {p.ingested} stored, {p.rejected} rejected, {p.retried} retried"
        )


@app.command()
def parse(
    caption: Annotated[str | None, typer.Argument(help="caption text (default: stdin)")] = None,
) -> None:
    """Parse a caption and print the result as JSON."""
    text = caption if caption is not None else sys.stdin.read()
    typer.echo(
        json.dumps(parsed_caption_to_json(parse_caption(text)), indent=2, ensure_ascii=False)
    )


@app.command()
def policy(
    asset: Annotated[str, typer.Argument(help="asset id or agency reference")],
) -> None:
    """Print the asset's rights as an ODRL 2.2 policy under IPTC's RightsML profile (JSON-LD)."""
    from assets.catalogue import get_asset, get_by_ref, is_asset_id
    from assets.policies import policy_of

    runtime = _runtime()
    try:
        with session_scope(runtime.engine) as session:
            found = get_asset(session, asset) if is_asset_id(asset) else get_by_ref(session, asset)
            document = policy_of(session, found)
    except RightsdeskError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


def _territory_option(value: str | None) -> str | None:
    """The --territory of a check read as the API reads it: refused unless it is a country."""
    if value is None:
        return None
    try:
        return read_territory(value)
    except UnknownTerritory as exc:
        raise typer.BadParameter(str(exc)) from exc


@app.command()
def check(
    assets: Annotated[list[str], typer.Argument(help="asset ids or agency references")],
    purpose: Annotated[Purpose, typer.Option(help="how the image will be used")],
    channel: Annotated[Channel | None, typer.Option(help="where it will appear")] = None,
    territory: Annotated[
        str | None,
        typer.Option(help="ISO 3166-1 alpha-2 country code", callback=_territory_option),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            envvar="RIGHTSDESK_URL", help="ask this server instead of the local catalogue"
        ),
    ] = None,
    api_key: Annotated[str | None, typer.Option(envvar="RIGHTSDESK_API_KEY")] = None,
) -> None:
    """Check a use. Exit 0 when every asset is allowed, 1 when any is denied, 2 for review."""
    if url:
        results = _check_remote(url, api_key, assets, purpose, channel, territory)
    else:
        results = _check_local(assets, purpose, channel, territory)
    typer.echo(json.dumps({"results": results}, indent=2, ensure_ascii=False))
    worst = max((Outcome(str(r["decision"])) for r in results), key=lambda o: o.severity)
    raise typer.Exit(EXIT_FOR[worst])


def _check_local(
    keys: list[str], purpose: Purpose, channel: Channel | None, territory: str | None
) -> list[dict[str, object]]:
    from api.schemas import CheckResult
    from assets.checks import check_assets
    from assets.clock import utcnow

    runtime = _runtime()
    use = Use(purpose=purpose, channel=channel, territory=territory)
    with session_scope(runtime.engine) as session:
        outcomes = check_assets(session, keys, use, now=utcnow())
    return [CheckResult.wire(o.key, o.asset_id, o.decision) for o in outcomes]


def _check_remote(
    url: str,
    api_key: str | None,
    keys: list[str],
    purpose: Purpose,
    channel: Channel | None,
    territory: str | None,
) -> list[dict[str, object]]:
    use: dict[str, str] = {"purpose": purpose.value}
    if channel:
        use["channel"] = channel.value
    if territory:
        use["territory"] = territory
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        response = httpx.post(
            f"{url.rstrip('/')}/v1/rights/check",
            headers=headers,
            json={"assets": keys, "use": use},
            timeout=30,
        )
    except httpx.HTTPError as exc:
        console.print(f"[red]cannot reach {url}:[/] {exc}; is `rightsdesk serve` running?")
        raise typer.Exit(1) from exc
    if response.status_code != 200:
        console.print(f"[red]{response.status_code}[/] {response.text}")
        raise typer.Exit(1)
    results: list[dict[str, object]] = response.json()["results"]
    return results


@app.command()
def reparse(
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            help="re-parse records whose parser_version is older than this"
            " (default: the current parser's version)",
        ),
    ] = None,
) -> None:
    """Re-read the rights of assets parsed by an older caption parser, or stored before each
    metadata block's values were kept (their files are read again); history is audited."""
    from assets.reparse import reparse as reparse_assets
    from captions import PARSER_VERSION

    runtime = _runtime()
    threshold = older_than or PARSER_VERSION
    with Progress(
        TextColumn("{task.description}"), MofNCompleteColumn(), console=console
    ) as progress:
        task = progress.add_task(f"re-parsing records older than {threshold}", total=None)
        count = reparse_assets(
            runtime.engine, threshold, "cli", lambda n: progress.advance(task, n), runtime.blobs
        )
    console.print(f"{count} asset(s) re-parsed with caption parser {PARSER_VERSION}")


@app.command()
def renditions(
    force: Annotated[bool, typer.Option(help="make every rendition again")] = False,
) -> None:
    """Make the thumbnail and preview of every stored picture that lacks them."""
    from assets.renditions import backfill, count_sources

    runtime = _runtime()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("drawing renditions", total=count_sources(runtime.engine))
        report = backfill(
            runtime.engine,
            runtime.blobs,
            force=force,
            advance=lambda n: progress.advance(task, n),
        )
    for failure in report.failed:
        console.print(f"[red]failed[/] {failure}")
    console.print(
        f"{report.made} made, {report.skipped} already made,"
        f" {report.undrawable} cannot be drawn (placeholder), {len(report.failed)} failed"
    )
    if report.failed:
        raise typer.Exit(1)


@keys_app.command("create")
def keys_create(
    role: Annotated[Role, typer.Option(help="what the key may do")],
    name: Annotated[str, typer.Option(help="who or what uses the key")],
    can_kill: Annotated[
        bool,
        typer.Option(
            "--can-kill",
            help="kill notices sent with this key kill outright (rights managers and admins"
            " always may); without it an editor's kill notice is a kill request",
        ),
    ] = False,
) -> None:
    """Create an API key. The key is printed once, alone on the last line."""
    runtime = _runtime()
    try:
        with session_scope(runtime.engine) as session:
            row, plain = create_key(session, name, role, can_kill=can_kill)
    except RightsdeskError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    kills = " allowed to kill" if row.can_kill else ""
    console.print(
        f"created {row.role} key {row.name!r}{kills} (id {row.id}); store it now, it is not"
        " shown again:"
    )
    typer.echo(plain)


@keys_app.command("list")
def keys_list() -> None:
    """List keys (never the keys themselves)."""
    runtime = _runtime()
    table = Table("id", "name", "role", "kills", "prefix", "created", "revoked")
    with session_scope(runtime.engine) as session:
        for row in list_keys(session):
            table.add_row(
                row.id,
                row.name,
                row.role,
                "yes" if row.can_kill else "",
                row.prefix + "…",
                row.created_at.isoformat(timespec="seconds"),
                row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else "",
            )
    Console().print(table)


@keys_app.command("revoke")
def keys_revoke(key: Annotated[str, typer.Argument(help="key id or name")]) -> None:
    """Revoke a key, or every live key of that name: it stops working at once."""
    runtime = _runtime()
    try:
        with session_scope(runtime.engine) as session:
            rows = revoke_key(session, key)
            described = ", ".join(f"{row.name!r} ({row.id})" for row in rows)
    except RightsdeskError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    if not rows:
        console.print(f"key {key!r} was revoked already; nothing changed")
        return
    console.print(f"revoked {len(rows)} key{'s' if len(rows) != 1 else ''}: {described}")


@app.command()
def fsck(
    dry_run: Annotated[bool, typer.Option(help="only report; remove nothing")] = False,
    verify: Annotated[bool, typer.Option(help="re-hash every blob against its sha256")] = True,
    min_age: Annotated[
        float, typer.Option(help="seconds an orphan must be old to be removed (0 when stopped)")
    ] = DEFAULT_MIN_AGE,
) -> None:
    """Check the catalogue against the blobs; remove orphan blobs and stale temp files.

    Exits 1 when an asset's blob is missing or damaged or a row names a missing asset.
    """
    runtime = _runtime()
    report = run_fsck(
        runtime.engine,
        runtime.blobs,
        temp_dirs_of(runtime.settings.data_dir, runtime.blobs),
        repair=not dry_run,
        verify=verify,
        min_age=min_age,
    )
    for line in report.lines():
        typer.echo(line)
    if report.damaged:
        console.print("[red]the catalogue names data that is gone[/]: restore from a backup")
        raise typer.Exit(1)


@app.command()
def backup(path: Annotated[Path, typer.Argument(help="archive to write (a .tar file)")]) -> None:
    """Write the catalogue and every blob it names to one archive; safe while serving."""
    runtime = _runtime()
    try:
        summary = make_backup(runtime.engine, runtime.blobs, path)
    except RightsdeskError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    rows = sum(summary.rows.values())
    console.print(
        f"backed up {rows} rows and {summary.blobs} blobs ({summary.bytes} bytes)"
        f" of the {summary.database} catalogue at revision {summary.revision} to {summary.path}"
    )


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="archive written by `rightsdesk backup`")],
    force: Annotated[
        bool, typer.Option(help="replace a catalogue that is not empty (stop the server first)")
    ] = False,
    replace_unstorable: Annotated[
        bool,
        typer.Option(
            help="write U+FFFD in place of characters the database refuses (NUL in PostgreSQL)"
        ),
    ] = False,
) -> None:
    """Put an archive's blobs and catalogue back into this data folder or database."""
    runtime = _runtime()
    try:
        summary = restore_backup(
            runtime.engine,
            runtime.blobs,
            path,
            force=force,
            replace_unstorable=replace_unstorable,
        )
    except RightsdeskError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    console.print(
        f"restored {sum(summary.rows.values())} rows and {summary.blobs} blobs into the"
        f" {summary.database} catalogue (revision {summary.revision})"
    )


def _announce_auth(runtime: Runtime) -> None:
    if not runtime.settings.auth_enabled:
        banner = (
            "AUTHENTICATION IS OFF (RIGHTSDESK_AUTH=off): anyone who can reach this port"
            " can upload, override and kill. Never run like this on a shared network."
        )
        console.print(f"[bold white on red] {banner} [/]")
        return
    with session_scope(runtime.engine) as session:
        if has_admin_key(session):
            return
        name, number = "first-admin", 1
        while live_keys_named(session, name):
            number += 1
            name = f"first-admin-{number}"
        _row, plain = create_key(session, name, Role.ADMIN)
    key_file = runtime.settings.data_dir / "admin-key.txt"
    key_file.write_text(plain + "\n")
    os.chmod(key_file, 0o600)
    console.print(
        f"[bold green]first start: created an admin API key[/] (also saved to {key_file}):"
    )
    console.print(f"  export RIGHTSDESK_API_KEY={plain}")


def _redacted(settings: Settings) -> str:
    url = settings.effective_database_url
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


@agreements_app.command("import")
def agreements_import(
    path: Annotated[Path, typer.Argument(help="the agreements file (TOML)")],
    prune: Annotated[bool, typer.Option(help="end agreements the file no longer lists")] = True,
    dry_run: Annotated[bool, typer.Option(help="only say what would change")] = False,
) -> None:
    """Make the catalogue's agreements match the file: changed ones get a new version."""
    from assets.agreements_file import import_agreements, read_file

    try:
        agreements = read_file(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        console.print(f"[red]cannot read {path}[/]: {exc}")
        raise typer.Exit(2) from exc
    except RightsdeskError as exc:
        console.print(f"[red]{path}[/]: {exc}")
        raise typer.Exit(2) from exc
    runtime = _runtime()
    with session_scope(runtime.engine) as session:
        report = import_agreements(session, agreements, "cli", prune=prune)
        if dry_run:
            session.rollback()
    verb = "would be" if dry_run else ""
    for label, names in (("set", report.set), ("ended", report.ended)):
        for name in names:
            typer.echo(f"{label} {verb} {name}".replace("  ", " "))
    typer.echo(f"{len(report.unchanged)} unchanged")


@agreements_app.command("export")
def agreements_export(
    path: Annotated[Path, typer.Argument(help="the file to write (TOML); - for stdout")],
) -> None:
    """Write the agreements in force as a TOML file that `import` reads back."""
    from assets.agreements_file import export_agreements

    runtime = _runtime()
    with session_scope(runtime.engine) as session:
        text = export_agreements(session)
    if str(path) == "-":
        typer.echo(text, nl=False)
    else:
        path.write_text(text, encoding="utf-8")
        console.print(f"agreements written to {path}")


@app.command()
def purge(
    dry_run: Annotated[bool, typer.Option(help="only list what would be purged")] = False,
) -> None:
    """Delete the files of images past retention (NO ARCHIVES, agreement, expiry date);
    a tombstone and the audit trail stay, and every check of them is denied (PURGED)."""
    from assets.purge import purge as run_purge

    runtime = _runtime()
    report = run_purge(runtime.engine, runtime.blobs, actor="cli", dry_run=dry_run)
    for line in report.lines(dry_run):
        typer.echo(line)


@alerts_app.command("scan")
def alerts_scan() -> None:
    """Re-check every recorded usage now (an agreement or lease that ended, a retention
    window that passed) and raise an alert for each one no longer allowed."""
    from assets.alerts import scan

    runtime = _runtime()
    with session_scope(runtime.engine) as session:
        raised = scan(session)
    for alert in raised:
        typer.echo(f"{alert.decision} {alert.publication} {alert.url} ({alert.asset_id})")
    typer.echo(f"{len(raised)} alert(s) raised")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
