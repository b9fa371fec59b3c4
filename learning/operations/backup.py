"""Backups of the database (and the media files) and their restore, for `backup_db` and `restore_db`.

SQLite: sqlite3's online backup API copies one consistent snapshot while the site serves (WAL:
writers carry on, nothing half-written gets in), into a standalone `.sqlite3` file. Restoring runs
the same API the other way, through SQLite's locks, so running workers see the restored data
rather than a file swapped under their open connections.
PostgreSQL: `pg_dump --format=custom` (a consistent snapshot too) and `pg_restore --clean
--if-exists --no-owner --single-transaction`: a restore that fails half way changes nothing. The
password reaches the tools through PGPASSWORD, never on a command line.
Media: MEDIA_ROOT as `<backup>.media.tar.gz` beside the database file when it holds files;
restoring extracts it back over MEDIA_ROOT (files added since the backup stay).
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

BACKUP_DIR = Path(settings.BASE_DIR) / "var" / "backups"
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
MAGIC = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}
KIND = {"sqlite": "SQLite database", "postgresql": "pg_dump custom-format archive"}
NAME = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Backup:
    database: Path
    media: Path | None  # the media archive, when there is one

    def __str__(self):
        return f"{self.database}" + (f" (media: {self.media})" if self.media else "")


def media_archive_for(path):
    """`academy-20260101T120000Z.sqlite3` -> `academy-20260101T120000Z.media.tar.gz` beside it."""
    path = Path(path)
    return path.with_name(f"{path.stem}.media.tar.gz")


def _vendor(alias):
    vendor = connections[alias].vendor
    if vendor not in SUFFIX:
        raise BackupError(f"backups cover SQLite and PostgreSQL, not {vendor}")
    return vendor


def default_target(alias="default", *, now=None):
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return BACKUP_DIR / f"academy-{stamp}{SUFFIX[_vendor(alias)]}"


def backup_create(*, target=None, alias="default"):
    """Write a consistent copy of the database to `target` (default var/backups/academy-<UTC time>),
    plus its media archive. Never overwrites a file; writes under a temporary name, then renames."""
    vendor = _vendor(alias)
    target = Path(target) if target else default_target(alias)
    media = media_archive_for(target)
    for path in (target, media):
        if path.exists():
            raise BackupError(f"{path} exists already; not overwriting it")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        (_sqlite_backup if vendor == "sqlite" else _pg_dump)(connections[alias].settings_dict, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(target, _media_archive(media))


def backup_restore(*, source, alias="default"):
    """Replace every row of the database with the backup in `source`, then put its media back."""
    vendor, source = _vendor(alias), Path(source)
    check_backup(source, alias=alias)
    connections[alias].close()  # no transaction or cached state of ours survives the swap
    if vendor == "sqlite":
        _sqlite_restore(connections[alias].settings_dict, source)
    else:
        _pg_restore(connections[alias].settings_dict, source)
    media = media_archive_for(source)
    if media.exists():
        _media_extract(media)
    # Cached pages are keyed on versions (curriculum, each learner's) that a restore takes back to
    # values already used for other states; with a shared cache (Redis) they would be served again.
    for cache in caches.all(initialized_only=False):
        cache.clear()
    return Backup(source, media if media.exists() else None)


def check_backup(source, *, alias="default"):
    """Refuse a missing file, or one that is not a backup of the kind this database restores."""
    vendor, source = _vendor(alias), Path(source)
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    with source.open("rb") as file:
        head = file.read(16)
    if not head.startswith(MAGIC[vendor]):
        other = next((v for v, magic in MAGIC.items() if head.startswith(magic)), None)
        found = f"a {KIND[other]}" if other else "not a backup"
        raise BackupError(
            f"{source} is {found}; this site runs on {NAME[vendor]} and restores a {KIND[vendor]} ({SUFFIX[vendor]})"
        )
    if vendor == "sqlite":
        with _sqlite_connect(source) as backup:
            if backup.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is a damaged SQLite database")
            if not backup.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone():
                raise BackupError(f"{source} is an SQLite database, but not one of this site")
    else:
        _run(["pg_restore", "--list", str(source)], connections[alias].settings_dict, with_connection=False)


def unapplied_migrations(alias="default"):
    """Migrations the restored database lacks (a backup older than the code): `migrate` applies them."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


# SQLite


class _closing(sqlite3.Connection):
    """sqlite3.connect(...) usable in `with`: closes (the stdlib's context manager only commits)."""

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self.close()
        return False


def _sqlite_connect(path):
    return sqlite3.connect(Path(path), timeout=30, factory=_closing)


def _sqlite_backup(db, target):
    if not Path(db["NAME"]).is_file():  # sqlite3.connect would create an empty one and back that up
        raise BackupError(f"no SQLite database at {db['NAME']}")
    with _sqlite_connect(db["NAME"]) as live, _sqlite_connect(target) as copy:
        live.backup(copy)  # all pages in one step: one read transaction, one snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one standalone file, no -wal beside it
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"the copy in {target} failed SQLite's quick_check")


def _sqlite_restore(db, source):
    with _sqlite_connect(source) as backup, _sqlite_connect(db["NAME"]) as live:
        backup.backup(live)  # under the live database's write lock; WAL readers switch over on commit


# PostgreSQL


def _pg_environment(db):
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if db.get("OPTIONS", {}).get(option):
            env[variable] = str(db["OPTIONS"][option])
    return env


def _run(command, db, *, with_connection=True):
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not on PATH (Debian: apt-get install postgresql-client-15)")
    if with_connection:
        command = [*command, "--dbname", db["NAME"], "--no-password"]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if db.get(key):
                command += [flag, str(db[key])]
    result = subprocess.run(command, env=_pg_environment(db), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")
    return result


def _pg_dump(db, target):
    _run(["pg_dump", "--format=custom", "--file", str(target)], db)


def _pg_restore(db, source):
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)], db)


# Media


def _media_archive(target):
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir() or not any(path.is_file() for path in root.rglob("*")):
        return None
    partial = target.with_name(f".{target.name}.partial")
    try:
        with tarfile.open(partial, "w:gz") as archive:
            for path in sorted(root.iterdir()):
                archive.add(path, arcname=path.name)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _media_extract(archive):
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root.parent) as staging, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(staging, filter="data")  # refuses absolute paths, `..` and links out of the tree
        shutil.copytree(staging, root, dirs_exist_ok=True)
