from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from learning.operations.backup import BackupError, backup_restore, check_backup, unapplied_migrations


class Command(BaseCommand):
    help = "Replace ALL data with a backup made by backup_db (and put its media files back). Needs --yes."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup_db file: .sqlite3 (SQLite) or .pgdump (PostgreSQL).")
        parser.add_argument("--yes", action="store_true", help="Confirm that every row in the database is replaced.")

    def handle(self, file, yes, **options):
        name = connections["default"].settings_dict["NAME"]
        try:
            check_backup(file)
            if not yes:
                raise CommandError(f"Restoring {file} replaces all data in the database {name}; run again with --yes.")
            self.stdout.write(f"Restoring {file} into the database {name} ...")
            backup = backup_restore(source=file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {backup}."))
        missing = unapplied_migrations()
        if missing:
            self.stdout.write(f"The backup predates {len(missing)} migration(s); run `manage.py migrate` next.")
