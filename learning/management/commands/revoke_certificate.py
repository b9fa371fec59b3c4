from django.core.management.base import BaseCommand, CommandError

from learning.records.models import Certificate


class Command(BaseCommand):
    help = (
        "Revoke a certificate by its id (or --restore it): its public verification page says revoked, and its "
        "Open Badge's bit is set in /badges/status/revocation.json, so wallets and verifiers see it too."
    )

    def add_arguments(self, parser):
        parser.add_argument("uid", help="the certificate's id, as on the certificate and in its verification URL")
        parser.add_argument("--restore", action="store_true", help="make a revoked certificate valid again")

    def handle(self, *, uid, restore, **options):
        if not Certificate.objects.filter(uid=uid).update(revoked=not restore):
            raise CommandError(f"No certificate with the id {uid}.")
        self.stdout.write(f"Certificate {uid} is {'valid again' if restore else 'revoked'}.")
