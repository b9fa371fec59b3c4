from django.core.management.base import BaseCommand

from learning.authoring.curriculum_pages import export_curriculum


class Command(BaseCommand):
    help = "Write the published academy pages back to curriculum files (areas/, modules/, paths/, locales/<lang>/)."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, folder, **options):
        modules, translated = export_curriculum(folder)
        self.stdout.write(
            self.style.SUCCESS(f"Exported {modules} modules and {translated} translated files to {folder}.")
        )
