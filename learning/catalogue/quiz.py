"""A module's quiz as plain values: the one mapping from the quiz StreamField to questions and back.

Grading, the result page, item analysis, curriculum export and GIFT export all read the quiz through
these values, so a question has one shape everywhere. Pure: no database, no HTTP.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    key: str
    kind: str  # "single" or "multiple"
    prompt: str
    choices: tuple
    explanation: str

    @property
    def right_ids(self):
        return frozenset(choice.id for choice in self.choices if choice.correct)


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
