"""The certificate as files: its verification address as a QR code (segno, SVG drawn on the server) and the
printed design as a PDF (WeasyPrint).

The PDF is the certificate page's own markup and stylesheets (academy.css, then print.css, as a printer
sees them), so the download and the printed page are one design. WeasyPrint fetches nothing: the
stylesheets are read from the static files on disk, the QR code is inline SVG, and every URL but a
data: URI is refused, so no name or title on a certificate can make the server request anything.
"""

from pathlib import Path

import segno
from django.contrib.staticfiles import finders
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# As base.html links them: the site's stylesheet, then the print rules on top.
STYLESHEETS = ("css/academy.css", "css/print.css")


def qr_code(url):
    """The QR code of `url` (error correction M: still read with a fold or a smudge on paper)."""
    return segno.make(url, error="m", micro=False)


def qr_svg(url, *, title):
    """The QR code of `url` as inline SVG markup, sized by the stylesheet (no width or height of its own),
    named for screen readers by `title` (role img with its label: axe's rule for inline SVG)."""
    # Black on a white ground (quiet zone included) in either colour scheme: scanners need the contrast.
    svg = qr_code(url).svg_inline(
        title=title, omitsize=True, svgclass="qr-code", lineclass=None, dark="#000", light="#fff"
    )
    # segno wrote the markup (paths from the URL's bits; it escapes the title): nothing of a user's is raw in it.
    body = mark_safe(svg.removeprefix("<svg "))  # nosec B308 B703: segno's own SVG, see above
    return format_html('<svg role="img" aria-label="{}" {}', title, body)


def _stylesheet_texts(names):
    return [Path(finders.find(name)).read_text(encoding="utf-8") for name in names]


def certificate_pdf(html):
    """The certificate page's markup as a PDF (A4 landscape, by print.css's @page). About half a second of one
    core; the owner asks for it once."""
    # Imported here: WeasyPrint loads Pango and its fonts, which every other request can do without.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",))
    stylesheets = [CSS(string=text, url_fetcher=fetcher) for text in _stylesheet_texts(STYLESHEETS)]
    return HTML(string=html, url_fetcher=fetcher, media_type="print").write_pdf(stylesheets=stylesheets)
