"""The signing key: one at a time, kept in the shared database with its private half sealed, rotated with the old
public keys still published (so credentials signed before keep verifying); the learner named only with consent."""

import io
import json

import jwt
import pytest
from django.core.management import call_command
from django.test import Client

from learning.interop import badges, keys
from learning.interop.badge_models import BadgeSigningKey
from tests.interop.test_badges import finish_starter, published_key, schema_problems


@pytest.fixture
def lena(make_user):
    return make_user("lena", display_name="Lena Łukasiewicz-Müller", email="Lena@example.com")


def test_rotation_signs_with_a_new_key_and_old_credentials_still_verify(academy, lena):
    certificate = finish_starter(lena, academy)
    call_command("badge_keys", "create", stdout=io.StringIO())
    before = badges.credential_jwt(certificate)
    out = io.StringIO()
    call_command("badge_keys", "rotate", stdout=out)
    after = badges.credential_jwt(certificate)

    assert jwt.get_unverified_header(before)["kid"] != jwt.get_unverified_header(after)["kid"]
    for token in (before, after):
        assert jwt.decode(token, key=published_key(token), algorithms=["EdDSA"])["jti"] == badges.credential_url(
            certificate
        )
    assert len(Client().get("/badges/jwks.json").json()["keys"]) == 2
    retired, active = BadgeSigningKey.objects.order_by("pk")
    assert retired.private_pem == "" and retired.retired_at and not retired.active and active.active
    assert "retired" in out.getvalue() and "signing" in out.getvalue()


def test_the_first_credential_makes_the_key_and_creating_again_changes_nothing(academy, lena):
    certificate = finish_starter(lena, academy)
    assert not BadgeSigningKey.objects.exists()
    badges.credential_jwt(certificate)
    assert BadgeSigningKey.objects.count() == 1
    assert keys.key_create()[1] is False
    assert BadgeSigningKey.objects.count() == 1


def test_the_stored_private_key_is_sealed_and_opens_after_a_secret_key_change_with_the_fallback(
    academy, lena, settings
):
    certificate = finish_starter(lena, academy)
    token = badges.credential_jwt(certificate)
    stored = BadgeSigningKey.objects.get()
    assert stored.private_pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert (
        '"d"' not in json.dumps(stored.public_jwk) and '"d"' not in Client().get("/badges/jwks.json").content.decode()
    )

    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "another-secret-key-" * 4, []
    keys._unseal.cache_clear()
    with pytest.raises(ValueError, match="does not open"):
        badges.credential_jwt(certificate)
    settings.SECRET_KEY_FALLBACKS = [old]
    keys._unseal.cache_clear()
    assert badges.credential_jwt(certificate) == token  # Ed25519 is deterministic: the same key signed it
    call_command("badge_keys", "reseal", stdout=io.StringIO())
    settings.SECRET_KEY_FALLBACKS = []
    keys._unseal.cache_clear()
    assert badges.credential_jwt(certificate) == token


def test_without_consent_the_badge_names_nobody_and_with_it_names_the_learner(academy, lena):
    certificate = finish_starter(lena, academy)
    document = Client().get(f"/badges/credentials/{certificate.uid}.json").content.decode()
    assert "Lena" not in document and "lena" not in document.lower().replace("/", " ").split()
    (identity,) = json.loads(document)["credentialSubject"]["identifier"]
    assert identity["identityType"] == "emailAddress" and identity["hashed"] is True
    import hashlib

    assert (
        identity["identityHash"]
        == "sha256$" + hashlib.sha256(("lena@example.com" + identity["salt"]).encode()).hexdigest()
    )

    lena.badge_shows_name = True
    lena.save()
    certificate.refresh_from_db()
    named = Client().get(f"/badges/credentials/{certificate.uid}.json").json()
    assert {"type": "IdentityObject", "hashed": False, "identityHash": "Lena Łukasiewicz-Müller",
            "identityType": "name"} in named["credentialSubject"]["identifier"]  # fmt: skip
    assert schema_problems(named) == []


def test_the_profile_asks_for_consent_off_by_default_and_saves_it(academy, lena, client):
    client.force_login(lena)
    page = client.get("/accounts/profile/").content.decode()
    assert 'name="badge_shows_name"' in page and "checked" not in page.split('name="badge_shows_name"')[1][:60]
    client.post(
        "/accounts/profile/",
        {"display_name": lena.display_name, "email": lena.email, "preferred_language": "en", "badge_shows_name": "on"},
    )
    lena.refresh_from_db()
    assert lena.badge_shows_name is True
