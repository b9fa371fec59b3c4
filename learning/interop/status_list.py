"""Revocation of the academy's badges as a W3C Bitstring Status List (README "Open Badges").

Each credential names one bit of one list (its certificate's id is its index); the list credential at
/badges/status/revocation.json sets the bits of the revoked certificates (Certificate.revoked), and its
signed form is at /badges/status/revocation.jwt. The list is at least 131,072 bits (16 KB before
compression), as the specification asks, so its size says little about how many badges there are.
"""

import base64
import gzip
from datetime import UTC

from django.utils import timezone

from learning.interop.activities import site_url
from learning.records.models import Certificate

LIST_PATH = "/badges/status/revocation.json"
MINIMUM_BITS = 131_072


def list_url():
    return site_url(LIST_PATH)


def entry(certificate):
    """The credential's credentialStatus: its bit in the revocation list."""
    return {
        "id": f"{list_url()}#{certificate.pk}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(certificate.pk),
        "statusListCredential": list_url(),
    }


def bitstring(revoked_indexes):
    """The list's bits as bytes: index 0 is the first byte's leftmost (most significant) bit."""
    size = max(MINIMUM_BITS, -(-(max(revoked_indexes, default=0) + 1) // MINIMUM_BITS) * MINIMUM_BITS)
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encoded_list(revoked_indexes):
    """Multibase base64url (prefix "u", no padding) of the GZIP-compressed bitstring. mtime 0: the same
    revocations give the same bytes."""
    compressed = gzip.compress(bitstring(revoked_indexes), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def status_list_credential(issuer):
    """The BitstringStatusListCredential as of now: 1 query, whatever the number of certificates."""
    revoked = list(Certificate.objects.filter(revoked=True).values_list("pk", flat=True))
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url(),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{list_url()}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked),
        },
    }
