"""One quiz rule, three front ends: a question the quiz editor refuses is refused in a module file and
in a GIFT import too, each in its own words and at its own place (the rule: learning.catalogue.quiz,
unit-tested in tests/catalogue/test_quiz.py)."""

import pytest
from wagtail.blocks import StreamBlockValidationError

from learning.authoring import gift
from learning.authoring.curriculum import CurriculumError, read
from learning.catalogue.blocks import QuizBlock

MODULE = """---
title: Fees
summary: Who pays what.
minutes: 10
level: beginner
objectives:
- Name the fees
quiz:
- key: fees
  type: {kind}
  prompt: Who pays?
  choices:
{choices}
---
Text.
"""

# (case, kind, choices as (text, correct), where the editor shows it, file problem, GIFT text, GIFT reason)
CASES = [
    (
        "no right choice",
        "single",
        [("A", False), ("B", False)],
        ("choices", "Mark at least one choice as correct."),
        "quiz[0].choices: no choice is marked correct",
        "Who pays?{~A ~B}",
        "no right answer: mark one with '=' or give it a positive '%N%' weight",
    ),
    (
        "the same choice twice",
        "single",
        [("A", True), ("B", False), ("A", False)],
        ("choices", 2, "text", "Another choice of this question reads the same."),
        "quiz[0].choices[2].text: the same choice appears twice",
        "Who pays?{=A ~B ~A}",
        "two answers read the same",
    ),
    (
        "a choice of blanks",
        "single",
        [("A", True), ("   ", False)],
        ("choices", 1, "text", "This field is required."),  # Wagtail's own check comes first here
        "quiz[0].choices[1].text: a choice has no text",
        "Who pays?{=A ~ }",
        "an answer has no text",
    ),
    (
        "one choice",
        "single",
        [("A", True)],
        ("choices", "A question needs at least two choices."),
        "quiz[0].choices: a question needs at least two choices",
        None,  # GIFT reads `{=A}` as a short answer, reported as unsupported
        None,
    ),
    (
        "two right on a single-answer question",
        "single",
        [("A", True), ("B", True)],
        ("choices", "A single-answer question has exactly one correct choice."),
        "quiz[0].choices: a single-answer question has exactly one correct choice, not 2",
        None,  # GIFT's two `=` answers are a multiple-answer question, with a warning (tests/authoring/test_gift.py)
        None,
    ),
]
IDS = [case[0] for case in CASES]


def editor_error(kind, choices):
    """Where and what the quiz editor says about the quiz's one question, as Wagtail sends it to the page."""
    block = QuizBlock()
    value = block.to_python(
        [
            {
                "type": "question",
                "value": {
                    "key": "fees",
                    "kind": kind,
                    "prompt": "Who pays?",
                    "explanation": "",
                    "choices": [{"text": text, "correct": correct, "feedback": ""} for text, correct in choices],
                },
            }
        ]
    )
    with pytest.raises(StreamBlockValidationError) as caught:
        block.clean(value)
    errors = caught.value.as_json_data()["blockErrors"]
    assert list(errors) == [0]  # on the question that is wrong
    return errors[0]["blockErrors"]


@pytest.mark.parametrize("case, kind, choices, editor, file, gift_text, gift_reason", CASES, ids=IDS)
def test_the_quiz_editor_refuses_it_at_the_field_concerned(case, kind, choices, editor, file, gift_text, gift_reason):
    errors = editor_error(kind, choices)
    if len(editor) == 2:  # on the list of choices
        assert errors == {"choices": {"messages": [editor[1]]}}
    else:  # on the one choice's text
        name, index, field, message = editor
        assert errors == {name: {"blockErrors": {index: {"blockErrors": {field: {"messages": [message]}}}}}}


@pytest.mark.parametrize("case, kind, choices, editor, file, gift_text, gift_reason", CASES, ids=IDS)
def test_a_module_file_with_it_is_refused_with_file_line_and_field(
    tmp_path, case, kind, choices, editor, file, gift_text, gift_reason
):
    (tmp_path / "areas").mkdir()
    (tmp_path / "areas" / "payments.yaml").write_text("title: Payments\nsummary: Money in.\n")
    (tmp_path / "modules" / "payments").mkdir(parents=True)
    written = "\n".join(f"  - text: '{text}'\n    correct: {str(correct).lower()}" for text, correct in choices)
    (tmp_path / "modules" / "payments" / "fees.md").write_text(MODULE.format(kind=kind, choices=written))
    with pytest.raises(CurriculumError) as caught:
        read(tmp_path)
    assert [str(problem).split(": ", 1)[1] for problem in caught.value.problems] == [file]


@pytest.mark.parametrize(
    "case, kind, choices, editor, file, gift_text, gift_reason", [case for case in CASES if case[5]], ids=IDS[:3]
)
def test_a_gift_question_with_it_is_not_imported_and_its_line_says_why(
    case, kind, choices, editor, file, gift_text, gift_reason
):
    result = gift.parse(f"// written by hand\n{gift_text}\n\nFine?{{=yes ~no}}")
    assert result.errors == [(2, gift_reason)]
    assert [question["prompt"] for question in result.questions] == ["Fine?"]


def test_a_key_used_twice_is_refused_at_the_key_of_the_later_question():
    block = QuizBlock()
    question = {
        "key": "fees",
        "kind": "single",
        "prompt": "Who pays?",
        "explanation": "",
        "choices": [{"text": "A", "correct": True, "feedback": ""}, {"text": "B", "correct": False, "feedback": ""}],
    }
    value = block.to_python([{"type": "question", "value": question}] * 3)
    with pytest.raises(StreamBlockValidationError) as caught:
        block.clean(value)
    message = {"blockErrors": {"key": {"messages": ["Question key 'fees' is used twice."]}}}
    assert caught.value.as_json_data()["blockErrors"] == {1: message, 2: message}


def test_a_draft_may_leave_a_choice_blank_but_not_break_the_rest_of_the_rule():
    """Wagtail defers "required" when an editor saves a draft; the quiz rule defers its empty texts with it."""
    block = QuizBlock()

    def draft(choices):
        question = {"key": "", "kind": "single", "prompt": "", "explanation": ""}
        question["choices"] = [{"text": text, "correct": correct, "feedback": ""} for text, correct in choices]
        return block.to_python([{"type": "question", "value": question}])

    block.defer_required_validation()
    try:
        assert len(block.clean(draft([("A", True), ("", False)]))) == 1
        with pytest.raises(StreamBlockValidationError):
            block.clean(draft([("A", False), ("", False)]))
    finally:
        block.restore_deferred_validation()
    with pytest.raises(StreamBlockValidationError):
        block.clean(draft([("A", True), ("B", False)]))  # published: the prompt is required again
