from django.core.management.base import BaseCommand, CommandError

from learning.operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database while the site serves (SQLite: online backup; PostgreSQL: pg_dump) to "
        "var/backups/academy-<UTC time>.sqlite3|.pgdump, and MEDIA_ROOT to a .media.tar.gz beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write it (default: var/backups/academy-<UTC time>).")

    def handle(self, path, **options):
        try:
            backup = backup_create(target=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backed up to {backup}."))
