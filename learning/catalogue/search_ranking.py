"""How search results are ranked and quoted: pure functions over the text of a result, no database.

The backend (Wagtail's database search: FTS5 on SQLite, full-text search on PostgreSQL) decides which pages
match; its scores differ between the two and weigh a word in a long body like one in a title. Ranking here
instead by where the words match (title, then summary and tags, then objectives, then body and readings) gives
the same order on both databases and puts the module about a word above those that mention it in passing.

Words are compared case-insensitively without accents ("Rückgabe" finds "ruckgabe"), and a query word's
common endings are dropped so that "returns" also finds "returned" and "zwroty" finds "zwrotami": a cheap
stand-in for stemming, which SQLite's FTS5 does not do and PostgreSQL does for one language only.
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_WORDS = 8
# Letters that Unicode does not decompose into a base letter and an accent.
UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
# Endings dropped from a query word (English plurals, German and Polish inflections), longest first; the
# stem keeps at least MIN_STEM letters, so short words such as "SEO" or "data" are used whole.
ENDINGS = ("ami", "ach", "ow", "es", "en", "s", "e", "y", "i", "a", "u")
MIN_STEM = 4
WORD = re.compile(r"\w+")

# Points for a query word found in each place. A title match outweighs everything below it together, so
# the module about a word comes first; repeated mentions in the body count, but only up to a cap.
TITLE, SUMMARY, OBJECTIVES, MENTION = 1000, 100, 30, 2
MAX_MENTIONS = 10
# A result whose only matches are fewer mentions than this in its body and readings mentions the words in
# passing: it is listed apart, after the results about them.
ABOUT_MENTIONS = 3
SNIPPET_WORDS = 30


def fold(text):
    """`text` lower-cased and without accents, for comparing words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(UNDECOMPOSED))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word):
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def query_words(query):
    """The stems of the query's words, each once, at most MAX_WORDS."""
    stems = []
    for word in WORD.findall(fold(query)):
        if stem(word) not in stems:
            stems.append(stem(word))
    return stems[:MAX_WORDS]


def hits(text, stems):
    """(start, end, stem) of each word in `text` that begins with one of `stems`."""
    found = []
    for match in WORD.finditer(text or ""):
        word = fold(match.group())
        for one in stems:
            if word.startswith(one):
                found.append((match.start(), match.end(), one))
                break
    return found


@dataclass
class Fields:
    """The searchable text of one result, by where it is: what ranks it and what quotes it."""

    title: str
    summary: str = ""
    tags: list = field(default_factory=list)
    objectives: str = ""
    body: list = field(default_factory=list)
    readings: list = field(default_factory=list)


def rank(fields, stems):
    """(query words found, points): sort results by this, highest first."""
    found, points = set(), 0
    for weight, texts in (
        (TITLE, [fields.title]),
        (SUMMARY, [fields.summary, *fields.tags]),
        (OBJECTIVES, [fields.objectives]),
    ):
        words = {one for text in texts for _start, _end, one in hits(text, stems)}
        found |= words
        points += weight * len(words)
    for texts in (fields.body, fields.readings):
        words = [one for text in texts for _start, _end, one in hits(text, stems)]
        found |= set(words)
        points += MENTION * min(len(words), MAX_MENTIONS)
    return len(found), points


def in_passing(ranking):
    """Whether a result ranked so (rank's value) only mentions the query's words: none in its title, summary,
    tags or objectives, and fewer than ABOUT_MENTIONS mentions in its body and readings."""
    _found, points = ranking
    return points < ABOUT_MENTIONS * MENTION


@dataclass(frozen=True)
class Part:
    """A piece of a snippet: `mark` pieces are the query's words, shown highlighted."""

    text: str
    mark: bool = False


def snippet(fields, stems):
    """A short quote of the first place after the title where the query's words occur (summary, objectives,
    body, readings), with those words as marked parts; the summary, unmarked, where they occur nowhere else."""
    for text in [fields.summary, fields.objectives, *fields.body, *fields.readings]:
        found = hits(text, stems)
        if found:
            return quote(text, found)
    return quote(fields.summary, []) if fields.summary else []


def quote(text, found):
    """The words of `text` around its first hit (about SNIPPET_WORDS of them), split into parts."""
    words = list(WORD.finditer(text))
    first = next((n for n, word in enumerate(words) if found and word.start() == found[0][0]), 0)
    begin = max(0, min(first - SNIPPET_WORDS // 3, len(words) - SNIPPET_WORDS))
    end = min(len(words), begin + SNIPPET_WORDS)
    start = words[begin].start() if begin else 0
    stop = words[end - 1].end() if end < len(words) else len(text)
    parts = [Part("… ")] if start else []
    position = start
    for hit_start, hit_end, _stem in found:
        if start <= hit_start and hit_end <= stop:
            parts += [Part(text[position:hit_start]), Part(text[hit_start:hit_end], mark=True)]
            position = hit_end
    parts.append(Part(text[position:stop] + (" …" if stop < len(text) else "")))
    return [part for part in parts if part.text]
