"""The Ed25519 keys that sign the academy's Open Badges, and the JWKS that publishes them (README "Open Badges").

One key signs at a time (BadgeSigningKey.active). The first credential asked for creates it when
`manage.py badge_keys create` has not; `badge_keys rotate` retires it and makes a new one in one transaction.
A retired key loses its private half and keeps its public one in the JWKS, so every credential it signed
still verifies. The private half is an encrypted PKCS#8 PEM whose password is derived from SECRET_KEY (the
keys in SECRET_KEY_FALLBACKS still open it after SECRET_KEY changes; `badge_keys rotate` then re-seals).
"""

import functools
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from jwcrypto import jwk, jws

from learning.interop.activities import site_url
from learning.interop.badge_models import BadgeSigningKey

JWKS_PATH = "/badges/jwks.json"


def _password(secret):
    return salted_hmac("learning.interop.keys", "badge signing key", secret=secret, algorithm="sha256").hexdigest()


def _seal(key):
    return key.export_to_pem(private_key=True, password=_password(settings.SECRET_KEY).encode()).decode()


@functools.lru_cache(maxsize=8)
def _unseal(pem):
    """The private key of a stored PEM, opened with SECRET_KEY or one of its fallbacks (kept per process:
    the same PEM always opens to the same key)."""
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        try:
            return jwk.JWK.from_pem(pem.encode(), password=_password(secret).encode())
        except (ValueError, TypeError):
            continue
    raise ValueError("The badge signing key does not open with SECRET_KEY or SECRET_KEY_FALLBACKS.")


def key_id(kid):
    """A key's id in credential headers and in the JWKS: the JWKS address and the key's thumbprint, so it
    can be looked up where it says."""
    return f"{site_url(JWKS_PATH)}#{kid}"


def _new_key():
    key = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    return BadgeSigningKey.objects.create(
        kid=key.thumbprint(), public_jwk=key.export_public(as_dict=True), private_pem=_seal(key)
    )


def key_create():
    """The active key, made now if there is none. Safe on several hosts at once: the database keeps one
    active key, and the loser of a race reads the winner's. Returns (key, created)."""
    current = BadgeSigningKey.objects.filter(active=True).first()
    if current is not None:
        return current, False
    try:
        with transaction.atomic():
            return _new_key(), True
    except IntegrityError:
        return BadgeSigningKey.objects.get(active=True), False


@transaction.atomic
def key_rotate():
    """Retire the active key (its private half is erased; its public half stays published) and make a new
    one. Returns the new key."""
    BadgeSigningKey.objects.filter(active=True).update(active=False, private_pem="", retired_at=timezone.now())
    return _new_key()


def key_reseal():
    """Store the active key's private half again under today's SECRET_KEY (after a change of SECRET_KEY, with
    the old one in SECRET_KEY_FALLBACKS). Returns the key, or None when there is none."""
    current = BadgeSigningKey.objects.filter(active=True).first()
    if current is not None:
        current.private_pem = _seal(_unseal(current.private_pem))
        current.save(update_fields=["private_pem"])
    return current


def signing_key():
    """(key id, private JWK) of the key that signs now, created if there is none: 1 query."""
    stored, _ = key_create()
    return key_id(stored.kid), _unseal(stored.private_pem)


def jwks():
    """Every public key the academy has signed with, newest first, as a JWK Set (RFC 7517): 1 query."""
    stored = BadgeSigningKey.objects.order_by("-created_at", "-pk").values_list("kid", "public_jwk")
    return {"keys": [{**public, "kid": key_id(kid), "alg": "EdDSA", "use": "sig"} for kid, public in stored]}


def sign(claims):
    """A compact JWS of `claims` (a JSON object) signed with the active key: Ed25519 ("EdDSA"), typ "JWT",
    kid naming the key in the JWKS. Ed25519 is deterministic, so the same claims give the same token."""
    kid, private = signing_key()
    token = jws.JWS(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode())
    token.add_signature(private, alg="EdDSA", protected={"alg": "EdDSA", "typ": "JWT", "kid": kid})
    return token.serialize(compact=True)
