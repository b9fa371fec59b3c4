"""The badge where people meet it: the certificate page's links in every language, the baked image that carries
the credential, LinkedIn's form filled in, and who may fetch what."""

import struct
import zlib
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.test import Client

from tests.interop.test_badges import finish_starter, published_key


@pytest.fixture
def lena(make_user, client):
    user = make_user("lena", display_name="Lena Łukasiewicz-Müller", email="lena@example.com")
    client.force_login(user)
    return user


@pytest.fixture
def certificate(academy, lena):
    return finish_starter(lena, academy)


def png_text_chunks(data):
    """{keyword: text} of the PNG's iTXt chunks, read from the bytes (not through Pillow, which wrote them)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = {}, 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + body)
        if kind == b"iTXt":
            keyword, rest = body.split(b"\0", 1)
            compressed, _method, rest = rest[0], rest[1], rest[2:]
            _language, _translated, text = rest.split(b"\0", 2)
            found[keyword.decode()] = (zlib.decompress(text) if compressed else text).decode()
        at += 12 + length
    return found


def test_the_baked_image_carries_the_signed_credential(certificate):
    response = Client().get(f"/badges/credentials/{certificate.uid}.png")
    assert response["Content-Type"] == "image/png"
    token = png_text_chunks(response.content)["openbadgecredential"]
    payload = jwt.decode(token, key=published_key(token), algorithms=["EdDSA"])
    assert payload["id"] == f"http://127.0.0.1:8000/badges/credentials/{certificate.uid}.json"
    assert payload["credentialSubject"]["achievement"]["name"] == "Starter"


@pytest.mark.parametrize(
    ("prefix", "heading", "linkedin"),
    [("", "Digital badge", "Add to LinkedIn profile"), ("/de", "Digitales Badge", "Zum LinkedIn-Profil hinzufügen"),
     ("/pl", "Cyfrowa odznaka", "Dodaj do profilu LinkedIn")],
)  # fmt: skip
def test_the_certificate_page_offers_the_badge_in_every_language(client, certificate, prefix, heading, linkedin):
    page = client.get(f"{prefix}/certificates/{certificate.uid}/").content.decode()
    assert heading in page and linkedin in page
    for suffix in ("png", "json", "jwt"):
        assert f'href="/badges/credentials/{certificate.uid}.{suffix}" download' in page


def test_the_linkedin_link_fills_in_the_certification(client, certificate):
    response = client.get(f"/certificates/{certificate.uid}/")
    href = next(
        part.split('"')[0]
        for part in response.content.decode().split('href="')
        if part.startswith("https://www.linkedin")
    ).replace("&amp;", "&")
    url = urlsplit(href)
    assert (url.netloc, url.path) == ("www.linkedin.com", "/profile/add")
    fields = {key: value[0] for key, value in parse_qs(url.query).items()}
    issued = certificate.issued_at
    assert fields == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Starter",
        "organizationName": "E-Commerce Academy",
        "issueYear": str(issued.year),
        "issueMonth": str(issued.month),
        "certUrl": f"http://testserver/certificates/verify/{certificate.uid}/",
        "certId": certificate.uid,
    }


def test_badge_documents_are_public_by_certificate_id_and_an_unknown_id_is_not_found(certificate, settings):
    settings.ACADEMY_REQUIRE_LOGIN = True
    anonymous = Client(headers={"accept-language": "de"})
    for url in (
        f"/badges/credentials/{certificate.uid}.json",
        f"/badges/credentials/{certificate.uid}.jwt",
        f"/badges/credentials/{certificate.uid}.png",
        "/badges/issuer.json",
        "/badges/jwks.json",
        "/badges/status/revocation.json",
        "/badges/status/revocation.jwt",
    ):
        response = anonymous.get(url)
        # Not sent to sign in, nor to /de/: a credential has one address.
        assert response.status_code == 200, url
        assert response["Access-Control-Allow-Origin"] == "*"
    for suffix in ("json", "jwt", "png"):
        assert anonymous.get(f"/badges/credentials/{certificate.uid}x.{suffix}").status_code == 404


def test_the_credential_of_another_learner_is_not_reached_through_the_certificate_page(client, certificate, make_user):
    client.force_login(make_user("ola"))
    page = client.get(f"/certificates/{certificate.uid}/")
    assert page.status_code == 404 and b"/badges/credentials/" not in page.content
