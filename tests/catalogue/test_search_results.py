"""The search page ranks modules by where the words match (title, then summary and tags, then body and
readings), lists those that only mention a word in passing apart, says how many results there are, quotes
each result with the words highlighted, and shows one search box."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.catalogue import bodytext


def rewrite(module, *, body=None, **fields):
    """Publish a new revision of `module` with a Markdown `body` and other `fields`; the search index follows."""
    if body is not None:
        module.body = bodytext.parse(body, seed=module.slug)
    for name, value in fields.items():
        setattr(module, name, value)
    module.save_revision().publish()
    return module


def module_titles(html):
    """Titles of the module results in order: (the main list, the list of passing mentions)."""
    page = html.split("<h1>", 1)[1]
    main, _, passing = page.partition('<details class="search-mentions"')
    titles = re.compile(r'<li><a href="[^"]+"(?: lang="\w+")?>([^<]+)</a>.*?<span class="facts">', re.S)
    return titles.findall(main), titles.findall(passing.split("</details>", 1)[0])


@pytest.fixture
def returns_everywhere(academy):
    """The word 'returns' in a summary (withdrawal), four times in a body (chargebacks), once in passing
    (shipping), besides the module about it (Returns management)."""
    rewrite(academy["withdrawal"], summary="How withdrawal works and when returns must be refunded.")
    rewrite(academy["chargebacks"], body="Returns and refunds. Returns again. Returns, returns.")
    rewrite(academy["shipping"], body="Parcels, carriers and, once, returns.")
    return academy


def test_returns_lists_the_module_about_it_first_and_passing_mentions_apart(client, returns_everywhere):
    main, passing = module_titles(client.get("/search/", {"q": "returns"}).content.decode())
    assert main == ["Returns management", "Right of withdrawal", "Chargebacks"]
    assert passing == ["Shipping"]


def test_a_title_match_outranks_many_mentions_in_the_body(client, academy):
    rewrite(academy["consent"], body=" ".join(["Chargebacks cost money."] * 12))
    main, _passing = module_titles(client.get("/search/", {"q": "chargebacks"}).content.decode())
    assert main[:2] == ["Chargebacks", "Consent and cookies"]


def test_the_page_says_how_many_results_there_are(client, returns_everywhere):
    html = client.get("/search/", {"q": "returns"}).content.decode()
    # Four modules (three about returns, one in passing); no path or area says "returns".
    assert re.search(r'<p class="search-count">4 results for “returns”</p>', html)
    assert (
        '<p class="search-count">1 result for “chargebacks”</p>'
        in client.get("/search/", {"q": "chargebacks"}).content.decode()
    )


def test_the_count_is_in_german_and_polish(client, academy):
    assert "1 Ergebnis für „Retouren“" in client.get("/de/search/", {"q": "Retouren"}).content.decode()
    rewrite(academy["shipping"], body="returns")
    html = client.get("/pl/search/", {"q": "returns"}).content.decode()
    assert "2 wyniki dla „returns”" in html


def test_each_result_quotes_its_text_with_the_words_marked(client, returns_everywhere):
    html = client.get("/search/", {"q": "Returns"}).content.decode()
    assert "when <mark>returns</mark> must be refunded." in html  # the summary, case kept
    assert "Parcels, carriers and, once, <mark>returns</mark>." in html  # the body, where the summary lacks it


def test_a_long_body_is_quoted_around_the_word(client, academy):
    rewrite(academy["shipping"], body=" ".join(f"word{n}" for n in range(100)) + " chargebacks " + "tail " * 50)
    html = client.get("/search/", {"q": "chargebacks"}).content.decode()
    quote = re.search(r'<p class="search-snippet">(.*?)</p>', html.split("Shipping</a>", 1)[1]).group(1)
    assert quote.startswith("… ") and quote.endswith(" …") and "<mark>chargebacks</mark>" in quote
    assert "word0 " not in quote and len(quote) < 400


def test_quoted_text_is_escaped_around_the_marks(client, academy):
    rewrite(academy["shipping"], summary='Returns <script>alert("x")</script> & <mark>co</mark>.')
    html = client.get("/search/", {"q": "returns"}).content.decode()
    assert "<mark>Returns</mark> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;mark&gt;co" in html
    assert "<script>alert" not in html


def test_words_are_found_whatever_their_case_and_with_their_plural(client, academy):
    rewrite(academy["shipping"], body="Every return costs money.")
    main, passing = module_titles(client.get("/search/", {"q": "RETURNS"}).content.decode())
    assert "Returns management" in main and "Shipping" in passing
    assert "Every <mark>return</mark> costs money." in client.get("/search/", {"q": "returns"}).content.decode()


def test_the_search_page_has_one_search_box(client, academy):
    html = client.get("/search/", {"q": "returns"}).content.decode()
    assert html.count('type="search"') == 1 and 'id="site-search"' not in html
    # Every other page keeps the header's box.
    assert client.get("/").content.decode().count('id="site-search"') == 1


def test_search_runs_the_same_number_of_queries_for_few_and_many_results(client, academy, django_assert_num_queries):
    client.get("/search/", {"q": "chargebacks"})  # warm Wagtail's site-root cache, as on a running server
    counts = []
    for query in ("chargebacks", "needs"):  # 1 module, then all 6 (every summary says what a new hire needs)
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/search/", {"q": query}).content.decode()
        counts.append(len(queries))
        assert "<mark>" in html
    # A visitor: no session or user. Areas, paths (the filters' options and the results' areas), modules
    # (+ locale), their readings, their tags, matching paths, matching areas (the site: operations/sites.py).
    assert counts == [7, 7]
