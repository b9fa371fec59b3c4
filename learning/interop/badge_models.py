"""The keys that sign the academy's Open Badges (README "Open Badges"). Fields and constraints only; written
and read by keys.py.

The key lives in the database, which every host shares: a key file would have to be copied to each host and
kept in step. The private half is stored encrypted (PKCS#8 with a password derived from SECRET_KEY), so a
database dump alone signs nothing; the public half stays published after rotation, so credentials signed
with an older key keep verifying.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BadgeSigningKey(models.Model):
    # The RFC 7638 thumbprint of the public key: the key's name in the JWKS and in each credential's header.
    kid = models.CharField(max_length=64, unique=True, editable=False)
    public_jwk = models.JSONField(editable=False)
    # Emptied when the key is retired: it never signs again.
    private_pem = models.TextField(blank=True, editable=False)
    active = models.BooleanField(default=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # One key signs at a time, on every host: two hosts creating the first key at once cannot both win.
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="one_active_badge_key"),
        ]
        verbose_name = _("badge signing key")
        verbose_name_plural = _("badge signing keys")
