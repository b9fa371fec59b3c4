"""The FSRS schedule (learning/records/reviews.py): pure, no database."""

import datetime

from learning.records import reviews

AT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def test_a_question_known_at_completion_comes_back_later_than_a_missed_one():
    known, missed = reviews.first(correct=True, at=AT), reviews.first(correct=False, at=AT)
    assert (known.due - AT, missed.due - AT) == (2 * DAY, 1 * DAY)


def test_each_right_answer_pushes_the_question_further_out():
    schedule, gaps = reviews.first(correct=True, at=AT), []
    for _ in range(3):
        at = schedule.due
        schedule = reviews.answered(schedule, correct=True, at=at)
        gaps.append((schedule.due - at).days)
    assert gaps == [11, 46, 163]


def test_a_miss_in_review_brings_a_known_question_back_within_days():
    schedule = reviews.first(correct=True, at=AT)
    for _ in range(2):
        schedule = reviews.answered(schedule, correct=True, at=schedule.due)
    at = schedule.due
    missed = reviews.answered(schedule, correct=False, at=at)
    assert missed.due - at == 3 * DAY
    assert missed.stability < schedule.stability


def test_no_question_waits_longer_than_the_maximum_interval():
    schedule = reviews.first(correct=True, at=AT)
    for _ in range(12):
        at = schedule.due
        schedule = reviews.answered(schedule, correct=True, at=at)
        assert schedule.due - at <= reviews.MAXIMUM_INTERVAL_DAYS * DAY
    assert schedule.due - at == reviews.MAXIMUM_INTERVAL_DAYS * DAY


def test_the_same_answers_give_the_same_dates():
    def run():
        schedule = reviews.first(correct=False, at=AT)
        for correct in (True, False, True, True):
            schedule = reviews.answered(schedule, correct=correct, at=schedule.due)
        return schedule

    assert run() == run()


def test_the_chosen_parameters():
    assert (reviews.SCHEDULER.desired_retention, reviews.SCHEDULER.maximum_interval) == (0.9, 365)
    assert reviews.SCHEDULER.learning_steps == () and not reviews.SCHEDULER.enable_fuzzing
    assert reviews.rating(True).name == "Good" and reviews.rating(False).name == "Again"
