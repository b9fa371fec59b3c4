from django.core.management.base import BaseCommand

from learning.teams.reminders import send_due_reminders, send_manager_digests


class Command(BaseCommand):
    help = (
        "E-mail learners with assignments due within 3 days or overdue, and managers their weekly digest. "
        "Safe to run often."
    )

    def handle(self, **options):
        due, digests = send_due_reminders(), send_manager_digests()
        self.stdout.write(f"Sent {due} reminder(s) and {digests} manager digest(s).")
