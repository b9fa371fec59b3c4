"""The module page as a learner reads it: the path around the module in a side column, "On this page", the
readings as cards, the quiz one question per card; the result page's score first, then each question to open."""

import re

import pytest

from learning.catalogue.quiz import questions_from_quiz
from learning.records import grading, services
from tests.factories import work_through


@pytest.fixture
def lena(make_user, client):
    user = make_user("lena", display_name="Lena Learner")
    client.force_login(user)
    return user


def side_column(html):
    start = html.index('<aside class="module-aside"')
    return html[start : html.index("</aside>", start)]


def steps_of(aside):
    """[(title, classes)] of the path's steps in the side column, in order."""
    return [
        (re.sub(r"<[^>]+>", "", title).strip(), classes)
        for classes, title in re.findall(
            r'<li class="path-beside-step ([^"]*)"[^>]*>.*?'
            r'<span class="path-beside-title">(.*?)<span class="path-beside-facts">',
            aside,
            re.S,
        )
    ]


def test_the_side_column_shows_the_path_with_each_steps_state_and_marks_this_module(client, academy, lena):
    services.enrolment_create(user=lena, path=academy["starter"])
    work_through(lena, [academy["payment-basics"]])
    html = client.get(academy["returns"].url).content.decode()
    aside = side_column(html)
    assert '<a href="/paths/starter/">Starter</a>' in aside and "1 of 3 required modules" in aside
    assert steps_of(aside) == [
        ("Payment basics", "state-completed"),
        ("Returns management You are here", "state-started is-current"),
        ("Consent and cookies", "state-not_started"),
        ("Shipping", "state-not_started is-elective"),
    ]
    assert aside.count('aria-current="step"') == 1
    # the current step is not a link to itself; the others link on through the same path
    assert 'href="/areas/payments/payment-basics/?path=starter"' in aside
    assert 'href="/areas/logistics/returns/?path=starter"' not in aside
    # previous and next, as in the path's order
    assert 'rel="prev"' in aside and 'rel="next"' in aside
    assert "First week" in aside and "First month" in aside


def test_without_a_path_the_side_column_lists_only_the_sections(client, academy, lena):
    aside = side_column(client.get(academy["returns"].url).content.decode())
    assert "path-beside" not in aside and "On this page" in aside


def test_on_this_page_links_each_section_of_the_body_to_its_heading(client, academy, lena):
    html = client.get(academy["returns"].url).content.decode()
    aside = side_column(html)
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', aside)
    assert links == [
        ("objectives-heading", "After this module you can"),
        ("why-it-matters", "Why it matters"),
        ("readings-heading", "Curated readings"),
        ("quiz", "Check your understanding"),
    ]
    assert '<h2 id="why-it-matters">Why it matters</h2>' in html
    # visitors get the same list from the stored copy of the page
    client.logout()
    assert '<a href="#why-it-matters">Why it matters</a>' in client.get(academy["returns"].url).content.decode()


def test_two_sections_with_one_title_get_two_anchors(academy):
    from learning.templatetags.module_outline import module_sections, section_text

    page = academy["returns"]
    page.body = [
        ("text", "<h2>Costs</h2><p>a</p>"),
        ("text", '<h2 data-block-key="x1">Costs</h2><h2>Quiz</h2>'),
    ]
    sections = module_sections(page)
    assert [(anchor, text) for anchor, text, _ in sections] == [
        ("costs", "Costs"),
        ("costs-2", "Costs"),
        ("quiz-2", "Quiz"),
    ]
    assert str(section_text(page.body[1], 1, sections)) == (
        '<h2 id="costs-2" data-block-key="x1">Costs</h2><h2 id="quiz-2">Quiz</h2>'
    )


def test_readings_are_cards_with_kind_publisher_minutes_and_opened(client, academy, lena):
    module = academy["payment-basics"]
    link = module.readings.get()
    client.get(f"/go/{link.pk}/")
    html = client.get(module.url).content.decode()
    card = re.search(r'<li class="reading-card is-opened">(.*?)</li>', html, re.S)[1]
    assert f'<span class="reading-publisher">{link.publisher}</span>' in card
    assert f'<span class="reading-kind">{link.get_kind_display()}</span>' in card
    assert f'<span class="reading-minutes">{link.minutes} min</span>' in card
    assert "✓ Opened" in card


def test_the_quiz_shows_one_question_per_card_with_a_count_and_whole_row_labels(client, academy, lena):
    module = academy["returns"]
    html = client.get(module.url).content.decode()
    quiz = html[html.index('<section class="quiz"') :]
    cards = re.findall(r'<fieldset class="quiz-card">(.*?)</fieldset>', quiz, re.S)
    assert len(cards) == len(module.quiz) == 2
    assert '<span class="quiz-count">Question 1 of 2</span>' in cards[0]
    assert '<span class="quiz-count">Question 2 of 2</span>' in cards[1]
    assert "Choose one." in cards[0] and "Choose all that apply." in cards[1]
    # every choice is a label wrapping its own real input and text: the whole row is the hit area
    rows = re.findall(r'<label class="choice"><input type="(radio|checkbox)"[^>]*> <span class="choice-text">', quiz)
    assert rows == ["radio"] * 3 + ["checkbox"] * 3


def test_the_result_page_puts_the_score_first_then_each_question_to_open(client, academy, lena):
    module = academy["returns"]
    questions = questions_from_quiz(module.quiz)
    right = grading.model_answers(questions)
    wrong_choice = next(c for c in questions[1].choices if c.id not in right["returns-q2"])
    attempt, _result = services.quiz_attempt_submit(
        user=lena, module=module, answers={"returns-q1": right["returns-q1"], "returns-q2": [wrong_choice.id]}
    )
    html = client.get(f"{module.url}quiz/{attempt.pk}/").content.decode()
    summary, answers = html.index('class="panel result-summary'), html.index('<ol class="result-questions"')
    assert summary < answers
    assert '<span class="ring-text" aria-hidden="true">50%</span>' in html[summary:answers]
    assert "1 of 2 questions right." in html[summary:answers]
    details = re.findall(r"<details class=\"result-question ([^\"]*)\"([^>]*)>(.*?)</details>", html, re.S)
    assert [(kind, opened.strip()) for kind, opened, _ in details] == [("result-right", ""), ("result-wrong", "open")]
    _, _, second = details[1]
    summary_line = re.search(r"<summary>(.*?)</summary>", second, re.S)[1]
    assert (
        "Question 2 of 2" in summary_line and "Pick both right answers." in summary_line and "Not right" in summary_line
    )
    assert "Wrong C" in second and "Not this one." in second and "<strong>Why:</strong> A and B." in second
