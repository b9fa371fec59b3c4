"""Ranking and quoting search results (learning.catalogue.search_ranking): pure functions, no database."""

from learning.catalogue.search_ranking import Fields, Part, in_passing, query_words, rank, snippet


def test_words_compare_without_case_or_accents_and_with_common_endings_dropped():
    assert query_words("Rückbuchungen RETURNS zwroty płatności SEO data") == [
        "ruckbuchung",
        "return",
        "zwrot",
        "platnosc",
        "seo",
        "data",
    ]
    assert query_words("returns Returns return") == ["return"]


def test_a_title_outranks_a_summary_which_outranks_the_body():
    words = query_words("returns")
    title = rank(Fields("Returns management"), words)
    summary = rank(Fields("Shipping", summary="How returns work"), words)
    body = rank(Fields("Consent", body=["returns " * 40]), words)
    assert title > summary > body
    assert not in_passing(body) and in_passing(rank(Fields("Shipping", body=["One return."]), words))


def test_results_with_every_word_come_before_those_with_some():
    words = query_words("payment fraud")
    both = rank(Fields("Risk", body=["payment and fraud"]), words)
    one = rank(Fields("Payment methods", summary="All about payment"), words)
    assert both > one


def test_a_snippet_marks_the_words_where_they_first_occur_after_the_title():
    fields = Fields("Returns", summary="All about shipping.", body=["Nothing here.", "Every Return costs money."])
    assert snippet(fields, query_words("returns")) == [
        Part("Every "),
        Part("Return", mark=True),
        Part(" costs money."),
    ]
    # Accents in the text are kept; the word is found without them.
    assert Part("Rückbuchungen", mark=True) in snippet(Fields("x", summary="Rückbuchungen sind teuer"), ["ruckbuch"])


def test_a_snippet_without_the_words_is_the_summary_unmarked():
    assert snippet(Fields("Returns", summary="All about logistics."), query_words("returns")) == [
        Part("All about logistics.")
    ]
