"""The interface speaks German and Polish completely: every catalogue entry is translated and none is
fuzzy, and no template shows English text that was not marked for translation."""

import re
import shutil
import subprocess  # nosec B404: runs gettext's msgfmt with a fixed argument list

import pytest

from tests.conftest import ROOT

LANGUAGES = ("de", "pl")
TEMPLATE_ROOTS = (ROOT / "site" / "templates", ROOT / "learning" / "templates")

BLOCKTRANS = re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
COMMENTS = re.compile(r"{#.*?#}|<!--.*?-->|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
SCRIPTS = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
TAG, VARIABLE, HTML = re.compile(r"{%.*?%}", re.S), re.compile(r"{{.*?}}", re.S), re.compile(r"<[^>]+>")
# Attributes a person reads or hears: their text needs translating as much as the page's.
SPOKEN_ATTRIBUTES = re.compile(r'\b(?:alt|title|placeholder|aria-label|aria-description)="([^"]*)"')
WORD = re.compile(r"[A-Za-z]{2,}")


def untranslated_text(source):
    """Text a reader would see that is neither a template expression nor inside a trans tag."""
    source = BLOCKTRANS.sub(" ", SCRIPTS.sub(" ", COMMENTS.sub(" ", source)))
    found = [
        value for value in SPOKEN_ATTRIBUTES.findall(source) if WORD.search(VARIABLE.sub(" ", TAG.sub(" ", value)))
    ]
    text = VARIABLE.sub(" ", HTML.sub(" ", TAG.sub(" ", source)))
    # Paths in plain-text mails ("/learn/") are addresses, not words.
    found += [
        chunk.strip()
        for chunk in re.split(r"\s{2,}|\n", text)
        if WORD.search(chunk) and not chunk.strip().startswith("/")
    ]
    return found


def test_the_check_finds_unmarked_text_and_passes_marked_text():
    assert untranslated_text('<h1>{% trans "Hello" %}</h1><p>Plain words</p><img alt="A cat">') == [
        "A cat",
        "Plain words",
    ]
    assert untranslated_text("{% blocktrans with n=x %}Hi {{ n }}{% endblocktrans %} {{ page.title }} ·") == []


def test_no_template_shows_text_not_marked_for_translation():
    offenders = [
        f"{template.relative_to(ROOT)}: {text!r}"
        for root in TEMPLATE_ROOTS
        for template in sorted(root.rglob("*"))
        if template.suffix in (".html", ".txt")
        for text in untranslated_text(template.read_text(encoding="utf-8"))
    ]
    assert not offenders, "mark these for translation:\n" + "\n".join(offenders)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is missing: make test installs Debian's gettext"
    catalogue = ROOT / "learning" / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(  # nosec B603: fixed arguments, no shell
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip().splitlines()[-1]  # after any header warnings
    assert re.fullmatch(r"\d+ translated messages\.", statistics), f"{catalogue.relative_to(ROOT)}: {statistics}"


@pytest.mark.parametrize(
    "language, expected", [("en", "5 December 2026"), ("de", "5. Dezember 2026"), ("pl", "5 grudnia 2026")]
)
def test_dates_are_written_as_each_language_writes_them(language, expected):
    """Templates show dates through DATE_FORMAT (site/config/formats/): Polish needs the month's genitive."""
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    with translation.override(language):
        rendered = Template('{{ day|date:"DATE_FORMAT" }}').render(Context({"day": datetime.date(2026, 12, 5)}))
    assert rendered == expected
