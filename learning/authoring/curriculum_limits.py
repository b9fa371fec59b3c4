"""What a curriculum file may hold: its size, its encoding, and how long each field and list may be.

Two kinds of limit. The database's (a title is a 255-character column, a number a 32-bit integer):
past them an import would fail half-way on PostgreSQL. And the academy's: past them a module is no
longer a page a learner reads, and one careless or hostile file makes the import, and every view
of its page, slow and memory hungry (a 50 MB module took 41 s and 1.4 GB to import). read() checks
all of them before anything is imported; content/README.md ("Limits") lists them for authors.
"""

import re

FILE_BYTES = 1_000_000  # a whole file, checked before it is read
BODY = 200_000  # characters of Markdown after the front matter: a long chapter

# Characters, after the surrounding white space is stripped.
TITLE = 255  # titles, a path's role, a reading's publisher: the CMS's one-line columns
SUMMARY = 1_000
AUDIENCE = 2_000
ITEM = 500  # one learning objective or path outcome
TAG = 100
STAGE = 100  # PathStep.stage
URL = 500
WHY = 300
LANGUAGE = 8
PROMPT = 2_000
CHOICE = 500
FEEDBACK = 2_000
EXPLANATION = 4_000

# Items in a list.
OBJECTIVES = 20  # and a path's outcomes
TAGS = 30
READINGS = 50
QUESTIONS = 100
CHOICES = 12

MOST = 2**31 - 1  # the largest value of a PositiveIntegerField on PostgreSQL
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # PostgreSQL text cannot hold a NUL; UTF-8 no lone surrogate


class FileTooLarge(Exception):
    def __init__(self, size):
        super().__init__(f"too large: {size:,} bytes (a curriculum file may have at most {FILE_BYTES:,})")


def read_bytes(path):
    """The file's bytes; FileTooLarge without reading more than FILE_BYTES + 1 of them. OSError as open()."""
    size = path.stat().st_size
    if size > FILE_BYTES:
        raise FileTooLarge(size)
    with path.open("rb") as file:
        raw = file.read(FILE_BYTES + 1)
    if len(raw) > FILE_BYTES:  # it grew after stat(), or is not a regular file
        raise FileTooLarge(len(raw))
    return raw


def decode(raw):
    """Bytes -> (text, None) or (None, (line, reason)). A leading BOM and CRLF line ends are accepted."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        return None, (raw[: error.start].count(b"\n") + 1, f"not UTF-8 text (byte {raw[error.start]:#04x})")
    if "\x00" in text:
        return None, (text[: text.index("\x00")].count("\n") + 1, "contains a NUL character")
    return text, None
