from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from learning.operations.demo import DemoError, load


class Command(BaseCommand):
    help = "Create demo accounts, a team and realistic progress (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(settings.BASE_DIR / "fixtures" / "demo.yaml"))
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, file, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates accounts with a known password: it runs with DEBUG on, or with --force."
            )
        try:
            password, users = load(file)
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {password}):"))
        for username, role in users:
            if role != "learner" or username == "learner":
                self.stdout.write(f"  {role:<8} {username}")
        self.stdout.write(f"  ...and {sum(role == 'learner' for _, role in users) - 1} more team members")
