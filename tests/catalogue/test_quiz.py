"""The quiz rule and the quiz mapper (learning.catalogue.quiz): pure, so no database.

The three front ends that hold quizzes to the rule (the quiz block, module files, GIFT) are pinned
together in tests/authoring/test_quiz_rule.py."""

import pytest

from learning.catalogue import quiz
from learning.catalogue.blocks import QuizBlock

RIGHT_AND_WRONG = [("Right", True), ("Wrong", False)]


def codes(problems):
    return [(problem.field, problem.code) for problem in problems]


# --- question_problems ------------------------------------------------------------------------------


def test_a_sound_question_has_no_problems():
    assert quiz.question_problems("single", RIGHT_AND_WRONG, prompt="Which?", key="q-1") == []
    assert quiz.question_problems("multiple", [("A", True), ("B", True), ("C", False)], prompt="Which?") == []


def test_one_choice_is_too_few_and_says_nothing_about_right_answers():
    assert codes(quiz.question_problems("single", [("Only", False)])) == [(("choices",), quiz.TOO_FEW_CHOICES)]
    assert codes(quiz.question_problems("single", [])) == [(("choices",), quiz.TOO_FEW_CHOICES)]


def test_a_question_without_a_right_choice_is_refused_whatever_its_kind():
    for kind in quiz.KINDS:
        problems = quiz.question_problems(kind, [("A", False), ("B", False)])
        assert codes(problems) == [(("choices",), quiz.NO_RIGHT_CHOICE)]
        assert problems[0].reason == "no choice is marked correct"


def test_a_single_answer_question_takes_one_right_choice_and_says_how_many_it_has():
    (problem,) = quiz.question_problems("single", [("A", True), ("B", True), ("C", True)])
    assert (problem.field, problem.code) == (("choices",), quiz.SEVERAL_RIGHT_CHOICES)
    assert problem.reason == "a single-answer question has exactly one correct choice, not 3"


def test_empty_and_repeated_texts_are_reported_at_the_choice():
    problems = quiz.question_problems("single", [("Right", True), ("  ", False), ("Wrong", False), (" Wrong", False)])
    assert codes(problems) == [
        (("choices", 1, "text"), quiz.EMPTY_CHOICE),
        (("choices", 3, "text"), quiz.SAME_CHOICE),
    ]


def test_an_empty_prompt_an_unknown_kind_and_a_malformed_key_are_refused():
    problems = quiz.question_problems("several", RIGHT_AND_WRONG, prompt=" ", key="Q 1")
    assert codes(problems) == [
        (("key",), quiz.BAD_KEY),
        (("kind",), quiz.UNKNOWN_KIND),
        (("prompt",), quiz.EMPTY_PROMPT),
    ]
    assert [problem.reason for problem in problems][1] == "must be single or multiple"


def test_what_the_caller_could_not_read_is_not_reported_twice():
    """None: a missing field the caller has reported; "" key: the block fills one in on save."""
    assert quiz.question_problems("single", None, prompt=None, key="") == []
    assert quiz.question_problems("single", [(None, True), (None, False)], prompt=None, key=None) == []


# --- key_problems -----------------------------------------------------------------------------------


def test_a_key_used_again_is_reported_at_the_later_question_naming_the_first():
    problems = quiz.key_problems(["a", "b", "a", "", "", None, "b"])
    assert [(index, problem.code) for index, problem in problems] == [(2, quiz.SAME_KEY), (6, quiz.SAME_KEY)]
    assert problems[0][1].reason == "duplicate question key 'a' (also question 1)"
    assert problems[0][1].field == ("key",)


# --- the mapper -------------------------------------------------------------------------------------

FILE_QUESTION = {
    "key": "fees",
    "type": "multiple",
    "prompt": "Who pays?",
    "choices": [
        {"text": "The merchant", "correct": True, "feedback": "Yes."},
        {"text": "The acquirer", "correct": True, "feedback": ""},
        {"text": "The shopper", "correct": False, "feedback": "No."},
    ],
    "explanation": "Interchange is paid by the merchant's side.",
}


def stored(raw):
    """Raw data as the quiz StreamField gives it back after saving."""
    block = QuizBlock()
    return block.to_python(raw)


def test_a_file_question_goes_into_the_streamfield_and_comes_back_the_same():
    question = quiz.question_from_file(FILE_QUESTION, seed="payments")
    (back,) = quiz.questions_from_quiz(stored(quiz.stream_data([question], seed="payments")))
    assert back == question
    assert quiz.file_question(back) == FILE_QUESTION
    assert back.right_ids == {choice.id for choice in back.choices[:2]}  # what grading will accept


def test_importing_the_same_question_again_keeps_every_block_id():
    first = quiz.stream_data_from_file([FILE_QUESTION], seed="payments")
    again = quiz.stream_data_from_file([dict(FILE_QUESTION)], seed="payments")
    assert first == again
    other_module = quiz.stream_data_from_file([FILE_QUESTION], seed="returns")
    assert {item["id"] for item in first[0]["value"]["choices"]}.isdisjoint(
        item["id"] for item in other_module[0]["value"]["choices"]
    )


def test_a_terse_file_question_fills_in_the_defaults_and_texts_are_trimmed():
    terse = {"key": "k", "prompt": " Which? ", "choices": [{"text": " A ", "correct": True}, {"text": "B"}]}
    question = quiz.question_from_file(terse, seed="m")
    assert (question.kind, question.prompt, question.explanation) == ("single", "Which?", "")
    assert [(c.text, c.correct, c.feedback) for c in question.choices] == [("A", True, ""), ("B", False, "")]


def test_module_files_leave_out_what_they_need_not_say():
    question = quiz.question_from_file(FILE_QUESTION, seed="m")
    terse = quiz.file_question(question, defaults=False)
    assert terse["choices"] == [
        {"text": "The merchant", "correct": True, "feedback": "Yes."},
        {"text": "The acquirer", "correct": True},
        {"text": "The shopper", "feedback": "No."},
    ]
    no_explanation = quiz.file_question(
        quiz.question_from_file({**FILE_QUESTION, "explanation": ""}, seed="m"), defaults=False
    )
    assert "explanation" not in no_explanation


@pytest.mark.parametrize("leak", ["correct", "feedback", "explanation", "Yes.", "Interchange"])
def test_the_learner_form_gets_no_hint_of_the_right_answer(leak):
    (question,) = quiz.questions_from_quiz(stored(quiz.stream_data_from_file([FILE_QUESTION], seed="m")))
    shown = quiz.question_for_learner(question)
    assert shown["prompt"] == "Who pays?" and [c["text"] for c in shown["choices"]][0] == "The merchant"
    assert [c["id"] for c in shown["choices"]] == [c.id for c in question.choices]  # what the learner posts back
    assert leak not in repr(shown)
