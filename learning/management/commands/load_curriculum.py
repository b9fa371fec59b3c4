import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from learning.authoring.curriculum import CurriculumError, read
from learning.authoring.curriculum_pages import import_curriculum


class Command(BaseCommand):
    help = "Validate the curriculum files and import them into the CMS in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default=str(settings.ACADEMY_CONTENT_DIR))
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite (and republish) pages changed in the admin since the last import.",
        )

    def handle(self, folder, force, **options):
        started = time.monotonic()
        try:
            report = import_curriculum(read(folder), force=force)
        except CurriculumError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(error.problems)} problem(s) in the curriculum; nothing was imported.") from None
        for file in report.skipped:
            if file in report.unpublished:  # an editor took it offline: say so, it is not an oversight
                self.stdout.write(f"kept (unpublished in the admin; --force republishes): {file}")
            else:
                self.stdout.write(f"kept (edited in the admin; --force overwrites): {file}")
        self.stdout.write(self.style.SUCCESS(f"Curriculum: {report.summary()} in {time.monotonic() - started:.1f}s."))
