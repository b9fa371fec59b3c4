"""A module's quiz as plain values: the one mapping between the quiz StreamField and questions, and the
one rule for what makes a question valid.

Reading the quiz: questions_from_quiz turns the StreamField into Question values, the only shape that
carries which choice is right. Grading, the result page, item analysis and the editor's answer-key
preview read them; file_question writes them in the curriculum file format for the curriculum and GIFT
exports; question_for_learner leaves the right answers out for the form a learner fills in.

Writing the quiz: question_from_file reads a question in the file format (a module file's `quiz:`
list, or what gift.parse reads) into a Question, and stream_data turns Questions into the StreamField's
raw data; stream_data_from_file does both, for the curriculum and GIFT importers.

Validity: question_problems and key_problems are the rule, applied by the quiz block's clean() in the
editor, by the curriculum reader and by the GIFT reader. Each caller words the problems for its own
readers by their `code`; `reason` is the curriculum files' wording.

Pure: no Django, no database, no HTTP.
"""

import re
from dataclasses import dataclass

from learning.catalogue.bodytext import block_id

KINDS = ("single", "multiple")  # the block's choice labels are in catalogue.blocks
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    key: str
    kind: str  # one of KINDS
    prompt: str
    choices: tuple
    explanation: str

    @property
    def right_ids(self):
        return frozenset(choice.id for choice in self.choices if choice.correct)


# --- the StreamField -> values ---------------------------------------------------------------------


def questions_from_quiz(quiz):
    """The quiz StreamField of a ModulePage as plain Questions (choice ids are the list items' ids)."""
    return [
        Question(
            key=block.value["key"],
            kind=block.value["kind"],
            prompt=block.value["prompt"],
            choices=tuple(
                Choice(
                    id=item.id,
                    text=item.value["text"],
                    correct=bool(item.value["correct"]),
                    feedback=item.value["feedback"] or "",
                )
                for item in block.value["choices"].bound_blocks
            ),
            explanation=block.value["explanation"] or "",
        )
        for block in quiz
    ]


def question_for_learner(question):
    """What the quiz form shows before the learner answers: prompt and choice texts, never which is
    right, nor the feedback or explanation that would tell."""
    return {
        "key": question.key,
        "kind": question.kind,
        "prompt": question.prompt,
        "choices": [{"id": choice.id, "text": choice.text} for choice in question.choices],
    }


def file_question(question, *, defaults=True):
    """A Question in the curriculum file format: {key, type, prompt, choices: [{text, correct,
    feedback}], explanation}, which is also what gift.export writes and gift.parse gives back.

    defaults=False leaves out what a file need not say (correct: false, an empty feedback or
    explanation), for module files that read as an editor would write them.
    """
    choices = []
    for choice in question.choices:
        item = {"text": choice.text, "correct": choice.correct, "feedback": choice.feedback}
        choices.append(item if defaults else {name: value for name, value in item.items() if value or name == "text"})
    data = {"key": question.key, "type": question.kind, "prompt": question.prompt, "choices": choices}
    if defaults or question.explanation:
        data["explanation"] = question.explanation
    return data


# --- the file format -> values -> the StreamField -------------------------------------------------


def question_from_file(data, *, seed):
    """A question in the file format (as file_question writes it, or as gift.parse reads it) as a
    Question. Choice ids come from `seed` (the module's slug), the key and the choice text, so the same
    question imported again keeps its ids, and the answers stored against them still match."""
    key = data["key"]
    choices = []
    for choice in data["choices"]:
        text = str(choice["text"]).strip()
        feedback = str(choice.get("feedback") or "").strip()
        choices.append(
            Choice(id=block_id(seed, key, text), text=text, correct=bool(choice.get("correct")), feedback=feedback)
        )
    return Question(
        key=key,
        kind=data.get("type") or "single",
        prompt=str(data["prompt"]).strip(),
        choices=tuple(choices),
        explanation=str(data.get("explanation") or "").strip(),
    )


def stream_data(questions, *, seed):
    """Questions -> the quiz StreamField's raw data, keeping the choice ids; each question's block id
    comes from `seed` and its key, so writing the same quiz again changes nothing."""
    return [
        {
            "type": "question",
            "id": block_id(seed, "question", question.key),
            "value": {
                "key": question.key,
                "kind": question.kind,
                "prompt": question.prompt,
                "explanation": question.explanation,
                "choices": [
                    {
                        "type": "item",
                        "id": choice.id,
                        "value": {"text": choice.text, "correct": choice.correct, "feedback": choice.feedback},
                    }
                    for choice in question.choices
                ],
            },
        }
        for question in questions
    ]


def stream_data_from_file(questions, *, seed):
    """Questions in the file format -> the quiz StreamField's raw data: what the importers write."""
    return stream_data([question_from_file(question, seed=seed) for question in questions], seed=seed)


# --- validity --------------------------------------------------------------------------------------

TOO_FEW_CHOICES = "too_few_choices"
NO_RIGHT_CHOICE = "no_right_choice"
SEVERAL_RIGHT_CHOICES = "several_right_choices"
EMPTY_PROMPT = "empty_prompt"
EMPTY_CHOICE = "empty_choice"
SAME_CHOICE = "same_choice"
UNKNOWN_KIND = "unknown_kind"
BAD_KEY = "bad_key"
SAME_KEY = "same_key"


@dataclass(frozen=True)
class Problem:
    field: tuple  # where in the question: ("choices",), ("choices", 2, "text"), ("prompt",), ("kind",), ("key",)
    code: str  # what is wrong: one of the constants above, for callers that word it their own way
    reason: str  # in the curriculum files' words


def question_problems(kind, choices, *, prompt=None, key=None):
    """What is wrong with one question, in the order an editor would fix it; [] when nothing is.

    `choices` are (text, correct) pairs in the question's order. None stands for what the caller could
    not read and has reported already (a missing field): choices, a choice's text or the prompt of
    None are not checked again, nor is a key of None or "" (the quiz block fills one in on save).
    """
    problems = []
    if key and not KEY.match(key):
        problems.append(Problem(("key",), BAD_KEY, "use lower case letters, digits and hyphens (at most 64)"))
    if kind not in KINDS:
        problems.append(Problem(("kind",), UNKNOWN_KIND, f"must be {' or '.join(KINDS)}"))
    if prompt is not None and not str(prompt).strip():
        problems.append(Problem(("prompt",), EMPTY_PROMPT, "the question has no text"))
    if choices is None:
        return problems
    right = sum(1 for _text, correct in choices if correct)
    if len(choices) < 2:
        problems.append(Problem(("choices",), TOO_FEW_CHOICES, "a question needs at least two choices"))
    elif right == 0:
        problems.append(Problem(("choices",), NO_RIGHT_CHOICE, "no choice is marked correct"))
    elif kind == "single" and right > 1:
        reason = f"a single-answer question has exactly one correct choice, not {right}"
        problems.append(Problem(("choices",), SEVERAL_RIGHT_CHOICES, reason))
    seen = set()
    for index, (text, _correct) in enumerate(choices):
        if text is None:
            continue
        text = str(text).strip()
        if not text:
            problems.append(Problem(("choices", index, "text"), EMPTY_CHOICE, "a choice has no text"))
        elif text in seen:
            # Learners could not tell the two apart, and imported choice ids are derived from the text.
            problems.append(Problem(("choices", index, "text"), SAME_CHOICE, "the same choice appears twice"))
        seen.add(text)
    return problems


def key_problems(keys):
    """(index, Problem) for each question whose key an earlier question of the quiz has already:
    answers are stored against the key, so two questions sharing one would share their answers.
    Keys of None or "" are skipped (not read, or not yet filled in)."""
    first, problems = {}, []
    for index, key in enumerate(keys):
        if not key:
            continue
        if key in first:
            reason = f"duplicate question key '{key}' (also question {first[key] + 1})"
            problems.append((index, Problem(("key",), SAME_KEY, reason)))
        else:
            first[key] = index
    return problems
