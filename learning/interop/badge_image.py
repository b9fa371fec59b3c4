"""The baked badge: a PNG that carries its signed credential (Open Badges 3.0, "Baking": an iTXt chunk with
the keyword `openbadgecredential`, uncompressed, whose text is the credential; ours is the VC-JWT). A badge
file dropped into a wallet or a backpack is the credential itself.

Drawn with Pillow (which Wagtail brings): a round seal in the academy's blue with the path's title and the
year, no web font (Pillow's own font).
"""

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

KEYWORD = "openbadgecredential"
SIZE = 512
BRAND, INK, PAPER = (11, 92, 173), (23, 58, 103), (255, 255, 255)


def _centred(draw, y, text, font, fill):
    width = draw.textlength(text, font=font)
    draw.text(((SIZE - width) / 2, y), text, font=font, fill=fill)


def _seal(title, organisation, year):
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=BRAND)
    draw.ellipse((40, 40, SIZE - 40, SIZE - 40), fill=PAPER)
    small, large = ImageFont.load_default(size=24), ImageFont.load_default(size=34)
    _centred(draw, 96, organisation, small, INK)
    lines = textwrap.wrap(title, width=20)[:4]
    top = SIZE / 2 - len(lines) * 22
    for number, line in enumerate(lines):
        _centred(draw, top + number * 44, line, large, BRAND)
    _centred(draw, SIZE - 130, str(year), small, INK)
    return image


def baked_png(*, title, organisation, year, credential):
    """The seal as PNG bytes with `credential` (text: a compact JWS or a JSON document) baked in."""
    info = PngInfo()
    info.add_itxt(KEYWORD, credential, lang="", tkey="", zip=False)
    out = io.BytesIO()
    _seal(title, organisation, year).save(out, format="PNG", pnginfo=info, optimize=True)
    return out.getvalue()
