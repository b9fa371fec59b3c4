"""Every certificate is an Open Badges 3.0 credential: valid against 1EdTech's schema, signed with the key the
site publishes (checked with PyJWT, not jwcrypto that signs), broken by any changed byte, revocable through the
status list, baked into the badge image, and named after the learner only with their consent."""

import base64
import gzip
import io
import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.test import Client
from jsonschema import Draft201909Validator

from learning.interop import badges
from learning.records import services
from tests.factories import work_through

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(
    (ROOT / "../shared/external/openbadges/ob3-schema/ob_v3p0_achievementcredential_schema.json").read_text()
)
BASE = "http://127.0.0.1:8000"


def schema_problems(document):
    validator = Draft201909Validator(SCHEMA, format_checker=Draft201909Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


def finish_starter(user, academy):
    enrolment = services.enrolment_create(user=user, path=academy["starter"])
    work_through(user, [academy["payment-basics"], academy["returns"], academy["consent"]])
    enrolment.refresh_from_db()
    return enrolment.certificate


@pytest.fixture
def lena(make_user, client):
    user = make_user("lena", display_name="Lena Łukasiewicz-Müller", email="Lena@example.com")
    client.force_login(user)
    return user


@pytest.fixture
def certificate(academy, lena):
    return finish_starter(lena, academy)


def published_key(token, anonymous=None):
    """The public key the token's header names, looked up in the JWKS the site serves."""
    jwks = (anonymous or Client()).get("/badges/jwks.json").json()
    kid = jwt.get_unverified_header(token)["kid"]
    assert kid.startswith(BASE + "/badges/jwks.json#")
    (found,) = [key for key in jwks["keys"] if key["kid"] == kid]
    return jwt.PyJWK(found, algorithm="EdDSA").key


def verified(token):
    """The payload, verified by PyJWT (an independent JOSE library) against the published key."""
    return jwt.decode(token, key=published_key(token), algorithms=["EdDSA"], options={"require": ["iss", "nbf"]})


def test_the_credential_is_a_valid_open_badge_with_issuer_achievement_alignments_and_status(certificate):
    document = Client().get(f"/badges/credentials/{certificate.uid}.json").json()
    assert schema_problems(document) == []
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"]["id"] == BASE + "/badges/issuer.json" and document["issuer"]["name"]
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["id"] == BASE + "/paths/starter/" and achievement["name"] == "Starter"
    assert "Payment basics" in achievement["criteria"]["narrative"]
    assert {a["targetUrl"] for a in achievement["alignment"]} == {
        BASE + "/areas/payments/",
        BASE + "/areas/logistics/",
        BASE + "/areas/law/",
    }
    status = document["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == BASE + "/badges/status/revocation.json"
    issuer = Client().get("/badges/issuer.json").json()
    assert issuer["id"] == document["issuer"]["id"] and issuer["type"] == ["Profile"]


def test_the_signed_credential_verifies_against_the_published_key_and_is_the_json_one(certificate):
    token = Client().get(f"/badges/credentials/{certificate.uid}.jwt").content.decode()
    payload = verified(token)
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
    claims = {key: payload.pop(key) for key in ("iss", "jti", "nbf")}
    assert payload == Client().get(f"/badges/credentials/{certificate.uid}.json").json()
    assert claims["iss"] == payload["issuer"]["id"] and claims["jti"] == payload["id"]
    assert schema_problems(payload) == []


def test_a_changed_byte_fails_verification(certificate):
    token = badges.credential_jwt(certificate)
    key = published_key(token)
    signing_input, signature = token.rsplit(".", 1)
    for position in range(0, len(signing_input), 7):
        if signing_input[position] == ".":
            continue
        other = "A" if signing_input[position] != "A" else "B"
        changed = signing_input[:position] + other + signing_input[position + 1 :] + "." + signature
        with pytest.raises(jwt.PyJWTError):
            jwt.decode(changed, key=key, algorithms=["EdDSA"])
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[10] ^= 0x01
    bad_signature = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(f"{signing_input}.{bad_signature}", key=key, algorithms=["EdDSA"])
    # A credential re-signed by anyone else's key is refused too.
    forged = jwt.encode(
        jwt.decode(token, options={"verify_signature": False}),
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": jwt.get_unverified_header(token)["kid"]},
    )
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, key=key, algorithms=["EdDSA"])


def status_bit(index):
    listed = Client().get("/badges/status/revocation.json").json()
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    encoded = listed["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"  # multibase base64url
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131_072
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_a_revoked_certificate_shows_revoked_on_the_verification_page_and_in_the_status_list(
    certificate, academy, make_user
):
    other = finish_starter(make_user("ola"), academy)
    index = int(badges.credential(certificate)["credentialStatus"]["statusListIndex"])
    assert not status_bit(index)
    assert "Revoked" not in Client().get(f"/certificates/verify/{certificate.uid}/").content.decode()

    call_command("revoke_certificate", certificate.uid, stdout=io.StringIO())

    assert status_bit(index)
    assert not status_bit(int(badges.credential(other)["credentialStatus"]["statusListIndex"]))
    page = Client().get(f"/certificates/verify/{certificate.uid}/").content.decode()
    assert "Revoked: this certificate is no longer valid." in page
    # The signed list verifies against the published key and says the same.
    token = Client().get("/badges/status/revocation.jwt").content.decode()
    assert (
        verified(token)["credentialSubject"]["encodedList"]
        == Client().get("/badges/status/revocation.json").json()["credentialSubject"]["encodedList"]
    )
