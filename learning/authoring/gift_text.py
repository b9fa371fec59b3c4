"""GIFT text, below the question structure: escapes, the `[format]` markers, HTML to Markdown.

What learning.authoring.gift reads a question's texts with and writes them back with. Pure.
"""

import re

from markdownify import markdownify

# Escaped characters are swapped for private-use code points while the structure is read, then
# swapped back in each text, so `\~` or `\{` never acts as syntax.
ESCAPES = {
    "\\": "\ue000",
    "~": "\ue001",
    "=": "\ue002",
    "#": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    ":": "\ue006",
    "n": "\ue007",
}
RESTORE = {code: char for char, code in ESCAPES.items()} | {ESCAPES["n"]: "\n"}
ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
FORMAT_RE = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
# HTML that a quiz of plain text cannot show: refused with its line rather than silently dropped.
MEDIA_RE = re.compile(r"<\s*(img|audio|video|source|iframe|object|embed|script|style|svg|canvas|form|input)\b", re.I)


def protect(text):
    """Escaped characters -> placeholders, so they never act as syntax while the structure is read."""

    def swap(match):
        char = match.group(1)
        return ESCAPES.get(char, match.group(0))  # an unknown escape stays as written, like Moodle

    return ESCAPE_RE.sub(swap, text)


def restore(text):
    """Placeholders -> the characters they stand for."""
    return "".join(RESTORE.get(char, char) for char in text)


def split_format(text, default="moodle"):
    """`[html]text` -> ("html", "text"); a text without a marker has the default format, as in Moodle."""
    match = FORMAT_RE.match(text)
    return (match.group(1).lower(), text[match.end() :]) if match else (default, text)


def plain(text):
    """Source lines joined with spaces, placeholders back to characters.

    A line break in the source only wraps the text; an escaped `\\n` is a real line break.
    """
    text = " ".join(line.strip() for line in text.split("\n") if line.strip())
    return restore(text).strip()


def markdown_from_html(html):
    """`[html]` text -> our Markdown: emphasis, links and lists kept; paragraphs and <br> become line breaks.

    No Markdown escapes: our quiz texts are shown as written, so `5 \\* 3` would reach learners as is.
    """
    text = markdownify(
        restore(html),
        heading_style="ATX",
        bullets="-",
        strong_em_symbol="*",
        escape_asterisks=False,
        escape_underscores=False,
        escape_misc=False,
    )
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def first_words(text, count=8):
    """The first words of a GIFT text as a reader sees them, for naming a question we left out."""
    text_format, text = split_format(text)
    words = (markdown_from_html(text) if text_format == "html" else plain(text)).split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def escape(text):
    """Our text -> GIFT text: syntax characters escaped, line breaks as `\\n`."""
    text = str(text or "").strip()
    if FORMAT_RE.match(text):  # a text that starts like `[html]` is text: say so with Moodle's marker
        text = "[plain]" + text
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")
