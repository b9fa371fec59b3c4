"""The certificate as a designed page with its verification address as text and QR code, and as a PDF of
the same design that only its owner downloads."""

import io
import re

import pytest
import segno
from django.test import Client
from pypdf import PdfReader

from learning.records import services
from tests.factories import work_through

# A4 landscape in PDF points (297 x 210 mm)
A4_LANDSCAPE = (842, 595)


@pytest.fixture
def lena(make_user, client):
    user = make_user("lena", display_name="Lena Łukasiewicz-Müller")
    client.force_login(user)
    return user


@pytest.fixture
def uid(academy, lena):
    enrolment = services.enrolment_create(user=lena, path=academy["starter"])
    work_through(lena, [academy["payment-basics"], academy["returns"], academy["consent"]])
    enrolment.refresh_from_db()
    return enrolment.certificate.uid


def pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    return reader, "".join(page.extract_text() for page in reader.pages)


def test_the_owner_downloads_one_a4_landscape_page_with_their_name_and_the_path(client, uid):
    response = client.get(f"/certificates/{uid}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="certificate-starter.pdf"'
    assert "private" in response["Cache-Control"]
    reader, text = pdf_text(response)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_LANDSCAPE
    assert "Lena Łukasiewicz-Müller" in text and "Starter" in text and "CERTIFICATE OF COMPLETION" in text
    assert f"http://testserver/certificates/verify/{uid}/" in text.replace("\n", "")


def test_the_pdf_is_in_the_language_it_is_asked_in(client, uid):
    response = client.get(f"/de/certificates/{uid}/pdf/")
    _reader, text = pdf_text(response)
    assert "ABSCHLUSSZERTIFIKAT" in text and "Hiermit wird bestätigt" in text
    assert response["Content-Disposition"].startswith('attachment; filename="zertifikat-')
    assert f"http://testserver/de/certificates/verify/{uid}/" in text.replace("\n", "")


def test_only_the_owner_gets_the_pdf(client, uid, make_user):
    client.force_login(make_user("other"))
    response = client.get(f"/certificates/{uid}/pdf/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    anonymous = Client().get(f"/certificates/{uid}/pdf/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    # the public check stays as it was: name, path, date and status, no PDF, no QR code
    public = Client().get(f"/certificates/verify/{uid}/").content.decode()
    assert "Valid" in public and f"/certificates/{uid}/pdf/" not in public and "qr-code" not in public


def test_the_certificate_page_shows_the_verify_address_and_a_qr_code_that_encodes_it(client, uid):
    html = client.get(f"/certificates/{uid}/").content.decode()
    verify_url = f"http://testserver/certificates/verify/{uid}/"
    assert f'<span class="verify-url">{verify_url}</span>' in html
    assert f'href="/certificates/{uid}/pdf/"' in html
    svg = re.search(r'<svg role="img" aria-label="QR code of the verification address"[^>]*>.*?</svg>', html, re.S)[0]
    # The code drawn is the one segno makes for the address (segno cannot read codes back, so make it again).
    drawn = re.search(r' d="([^"]+)"', svg)[1]
    expected = segno.make(verify_url, error="m", micro=False).svg_inline(dark="#000", light="#fff")
    assert drawn == re.search(r' d="([^"]+)"', expected)[1]
    other = segno.make(f"http://testserver/certificates/verify/{uid}x/", error="m", micro=False).svg_inline()
    assert drawn != re.search(r' d="([^"]+)"', other)[1]
