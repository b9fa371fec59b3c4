"""Retrieval practice: when a question comes back, computed with FSRS (the `fsrs` package, v6).

Pure: no Django, no models. A card's schedule goes in and out as a Schedule value; the services in
practice.py store it on a ReviewCard row. The one place that decides how right and wrong answers move
a question's next review.

Parameters, chosen for a quiz question seen again after a module (README "Retrieval practice and
test-out"):
- FSRS-6 default weights (fsrs.scheduler.DEFAULT_PARAMETERS): we have no review history to optimise on yet.
- desired retention 0.9: the share of questions a learner should still get right when they come back.
- maximum interval 365 days: modules are revised within a year, so a question never waits longer.
- no learning steps: the module and its quiz were the learning; reviews are days apart, never minutes.
- no fuzz: the same answers give the same dates (tests, and learners comparing notes).
- a right answer rates Good, a wrong or empty one Again: the form has no "hard" or "easy" to ask about.
With these, a question answered right at completion comes back after 2 days, a missed one after 1;
right again, after 11 days, then 46; missed in a review, after 3 (from 46).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

DESIRED_RETENTION = 0.9
MAXIMUM_INTERVAL_DAYS = 365
# The most questions one review session asks, across modules.
SESSION_SIZE = 10

SCHEDULER = Scheduler(
    parameters=DEFAULT_PARAMETERS,
    desired_retention=DESIRED_RETENTION,
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=MAXIMUM_INTERVAL_DAYS,
    enable_fuzzing=False,
)


@dataclass(frozen=True)
class Schedule:
    """A question's memory state and next review, as stored on its ReviewCard."""

    due: datetime
    stability: float | None = None
    difficulty: float | None = None
    state: int = State.Learning.value
    step: int | None = 0
    last_review: datetime | None = None


def rating(correct):
    return Rating.Good if correct else Rating.Again


def _card(schedule):
    # card_id is given: fsrs otherwise derives one from the clock and sleeps a millisecond per card.
    return Card(
        card_id=1,
        state=State(schedule.state),
        step=schedule.step,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        due=schedule.due.astimezone(UTC),
        last_review=schedule.last_review and schedule.last_review.astimezone(UTC),
    )


def answered(schedule, *, correct, at):
    """The schedule after answering the question at `at`: right pushes it out, wrong brings it back soon."""
    # fsrs accepts UTC only; a time in the site's zone (a clock, a form) is the same instant.
    card, _log = SCHEDULER.review_card(_card(schedule), rating(correct), at.astimezone(UTC))
    return Schedule(
        due=card.due,
        stability=card.stability,
        difficulty=card.difficulty,
        state=card.state.value,
        step=card.step,
        last_review=card.last_review,
    )


def first(*, correct, at):
    """A question's first schedule, from the answer the learner gave when they completed the module."""
    return answered(Schedule(due=at), correct=correct, at=at)


def is_due(schedule, now):
    return schedule.due <= now
