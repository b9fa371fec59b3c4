import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learning.catalogue.quiz import Choice, Question
from learning.records.grading import SubmissionError, grade, model_answers, review

SINGLE = Question(
    "capital",
    "single",
    "Pick one",
    (Choice("a", "A", True, "yes"), Choice("b", "B", False, "no"), Choice("c", "C", False, "no")),
    "A is right",
)
MULTI = Question(
    "pair",
    "multiple",
    "Pick all",
    (Choice("x", "X", True, ""), Choice("y", "Y", True, ""), Choice("z", "Z", False, "")),
    "X and Y",
)
QUIZ = [SINGLE, MULTI]


def test_all_right_scores_100_and_passes():
    result = grade(QUIZ, model_answers(QUIZ), pass_mark=70)
    assert (result.score, result.passed) == (100, True)


def test_a_multiple_answer_question_needs_exactly_the_right_set():
    assert not grade(QUIZ, {"capital": ["a"], "pair": ["x"]}, 70).answers[1].correct
    assert not grade(QUIZ, {"capital": ["a"], "pair": ["x", "y", "z"]}, 70).answers[1].correct
    assert grade(QUIZ, {"capital": ["a"], "pair": ["y", "x"]}, 70).answers[1].correct


def test_unanswered_questions_count_as_wrong():
    result = grade(QUIZ, {"capital": ["a"]}, pass_mark=70)
    assert (result.score, result.passed) == (50, False)


def test_the_pass_mark_is_inclusive():
    assert grade(QUIZ, {"capital": ["a"]}, pass_mark=50).passed


@pytest.mark.parametrize(
    "answers",
    [{"capital": ["a"], "nonsense": ["a"]}, {"capital": ["q"]}, {"capital": ["a", "b"]}, {"pair": ["x", "missing"]}],
)
def test_answers_that_do_not_fit_the_quiz_are_refused(answers):
    with pytest.raises(SubmissionError):
        grade(QUIZ, answers, pass_mark=70)


def test_review_shows_the_chosen_choices_with_feedback_and_skips_removed_questions():
    reviews = review(QUIZ, {"capital": (["b"], False), "gone": (["x"], True)})
    assert len(reviews) == 1 and [c.feedback for c in reviews[0].chosen] == ["no"] and not reviews[0].correct


ids = st.sampled_from(["a", "b", "c", "x", "y", "z", "", "evil", "<script>"])


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["capital", "pair", "other", ""]), st.lists(ids, max_size=5), max_size=3),
    st.integers(min_value=1, max_value=100),
)
def test_any_submission_is_graded_between_0_and_100_or_refused(answers, pass_mark):
    try:
        result = grade(QUIZ, answers, pass_mark)
    except SubmissionError:
        return
    assert 0 <= result.score <= 100
    assert result.passed == (result.score >= pass_mark)
    assert len(result.answers) == len(QUIZ)
