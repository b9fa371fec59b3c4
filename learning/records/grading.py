"""Quiz grading: a pure function over the published quiz and a learner's answers.

The one place that decides whether an answer is right. The right choices reach it as Question values
from learning.catalogue.quiz, the one mapper that reads the correct flags out of the quiz StreamField
(editors' exports and the answer-key preview read them through it too; learners' forms never get them).
No database access: callers pass the quiz in and store what comes out.
"""

from dataclasses import dataclass

from learning.catalogue.quiz import Question


class SubmissionError(ValueError):
    """The answers do not fit the quiz: a tampered or stale form. Nothing is graded."""


@dataclass(frozen=True)
class Answer:
    question: Question
    chosen: tuple  # choice ids in the quiz's order
    correct: bool


@dataclass(frozen=True)
class Result:
    score: int  # percent of questions answered right
    pass_mark: int
    passed: bool
    answers: tuple


def grade(questions, submitted, pass_mark):
    """Grade `submitted` ({question key: [choice ids]}) against `questions`.

    A question left unanswered counts as wrong. A key or choice id the quiz does not have, or more
    than one choice on a single-answer question, raises SubmissionError.
    """
    by_key = {question.key: question for question in questions}
    unknown = set(submitted) - set(by_key)
    if unknown:
        raise SubmissionError(f"unknown question: {sorted(unknown)[0]}")
    answers = []
    for question in questions:
        chosen = set(submitted.get(question.key) or ())
        known = {choice.id for choice in question.choices}
        if chosen - known:
            raise SubmissionError(f"unknown choice for question {question.key}")
        if question.kind == "single" and len(chosen) > 1:
            raise SubmissionError(f"question {question.key} takes one answer")
        ordered = tuple(choice.id for choice in question.choices if choice.id in chosen)
        answers.append(Answer(question=question, chosen=ordered, correct=bool(chosen) and chosen == question.right_ids))
    right = sum(answer.correct for answer in answers)
    score = round(100 * right / len(answers)) if answers else 0
    return Result(score=score, pass_mark=pass_mark, passed=bool(answers) and score >= pass_mark, answers=tuple(answers))


def model_answers(questions):
    """{question key: [right choice ids]}: what a learner who knows everything would submit."""
    return {question.key: sorted(question.right_ids) for question in questions}


@dataclass(frozen=True)
class Review:
    question: Question
    chosen: tuple  # the Choices the learner picked, with their feedback
    correct: bool


def review(questions, stored):
    """What the learner sees after submitting: per question their choices with feedback, right or
    not, and the explanation. `stored` is {question key: (choice ids, correct)} as graded then;
    questions removed from the quiz since are left out."""
    reviews = []
    for question in questions:
        if question.key not in stored:
            continue
        ids, correct = stored[question.key]
        chosen = tuple(choice for choice in question.choices if choice.id in set(ids))
        reviews.append(Review(question=question, chosen=chosen, correct=correct))
    return reviews
