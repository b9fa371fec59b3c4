from django.core.management.base import BaseCommand

from learning.interop import keys
from learning.interop.badge_models import BadgeSigningKey


class Command(BaseCommand):
    help = (
        "The Ed25519 key that signs the Open Badges. create: make one if there is none (the first credential "
        "asked for does too); rotate: retire the signing key (its public half stays in /badges/jwks.json, so "
        "credentials it signed still verify) and make a new one; reseal: store the private key again under "
        "today's SECRET_KEY (after changing it, with the old one in SECRET_KEY_FALLBACKS); list: every key."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rotate", "reseal", "list"])

    def handle(self, *, action, **options):
        if action == "create":
            key, created = keys.key_create()
            self.stdout.write(f"{'Created' if created else 'Already there:'} signing key {key.kid}")
        elif action == "rotate":
            key = keys.key_rotate()
            self.stdout.write(f"New signing key {key.kid}; the earlier ones stay published, retired.")
        elif action == "reseal":
            key = keys.key_reseal()
            self.stdout.write(f"Resealed signing key {key.kid}" if key else "No signing key yet.")
        for key in BadgeSigningKey.objects.order_by("created_at", "pk"):
            state = "signing" if key.active else f"retired {key.retired_at:%Y-%m-%d %H:%M}"
            self.stdout.write(f"  {key.kid}  created {key.created_at:%Y-%m-%d %H:%M}  {state}")
