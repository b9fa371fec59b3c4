from django.core.management.base import BaseCommand, CommandError

from learning.authoring.linkcheck import BROKEN, check_links
from learning.models import ReadingLink


class Command(BaseCommand):
    help = (
        "Check every curated reading's URL (HEAD, GET where HEAD is refused, redirects followed) and store "
        "the status, final URL and redirect chain on the link. Prints a summary and each broken link."
    )

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=4, help="Checks at once (default 4).")
        parser.add_argument("--timeout", type=float, default=10, help="Seconds per request (default 10).")
        parser.add_argument("--only-failed", action="store_true", help="Re-check only links whose last check failed.")

    def handle(self, *, concurrency, timeout, only_failed, **options):
        if concurrency < 1 or timeout <= 0:
            raise CommandError("--concurrency must be at least 1 and --timeout above 0.")
        links = ReadingLink.objects.select_related("module").order_by("module__title", "sort_order", "pk")
        if only_failed:
            links = links.filter(BROKEN)
        summary = check_links(links, concurrency=concurrency, timeout=timeout)
        self.stdout.write(f"Reading links: {summary}.")
        for link, result in summary.broken:
            self.stdout.write(f"  {link.module.title} | {link.title} | {result.status or result.error}")
