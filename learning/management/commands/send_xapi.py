from django.core.management.base import BaseCommand, CommandError

from learning.interop.outbox import enabled
from learning.interop.sender import drain, outbox_counts


class Command(BaseCommand):
    help = (
        "Send the xAPI statements waiting in the outbox to XAPI_ENDPOINT now, in order, ignoring the backoff "
        "of failing ones. The background task does the same after every learner action."
    )

    def handle(self, **options):
        if not enabled():
            raise CommandError("XAPI_ENDPOINT is not set: no statements are written or sent.")
        sent, failed = drain(force=True, max_batches=10**6)
        counts = outbox_counts()
        self.stdout.write(
            f"Sent {sent} statement(s); {failed} failed this time. Outbox: "
            + ", ".join(f"{state} {count}" for state, count in counts.items())
        )
        if failed:
            raise CommandError("The LRS did not take every statement; see the last error in Reports > xAPI outbox.")
