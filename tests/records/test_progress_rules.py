"""The rules that got one home in progress.py: how near a due date is, that no row means not started,
and an assigned path's status built on both."""

import datetime

import pytest

from learning.records import progress
from tests.factories import work_through

DAY = datetime.date(2025, 3, 10)


@pytest.mark.parametrize(
    "due_in_days, expected",
    [
        (-30, progress.OVERDUE),
        (-1, progress.OVERDUE),
        (0, progress.DUE_SOON),
        (progress.DUE_SOON_DAYS, progress.DUE_SOON),
        (progress.DUE_SOON_DAYS + 1, None),
        (60, None),
    ],
)
def test_a_due_date_is_overdue_after_its_day_and_due_soon_on_it_and_the_days_before(due_in_days, expected):
    assert progress.due_status(DAY + datetime.timedelta(days=due_in_days), DAY) == expected


def test_without_a_due_date_nothing_is_due():
    assert progress.due_status(None, DAY) is None


def test_the_reminders_horizon_is_the_last_day_that_is_due_soon():
    for due_in_days in range(-5, 10):
        due = DAY + datetime.timedelta(days=due_in_days)
        assert (progress.due_status(due, DAY) is not None) == (due <= progress.due_soon_until(DAY)), due_in_days


def test_a_module_without_a_row_is_not_started(academy, make_user):
    user, opened, untouched = make_user(), academy["shipping"], academy["returns"]
    progress.module_open(user=user, module=opened)
    states = progress.module_states(user=user, modules=[opened, untouched.pk])
    assert states == {opened.pk: progress.STARTED, untouched.pk: progress.NOT_STARTED}
    assert progress.module_state(user=user, module=untouched) == progress.NOT_STARTED
    assert progress.state_of({}, untouched.pk) == progress.NOT_STARTED


def test_a_paths_progress_holds_the_state_of_each_of_its_steps_and_no_other(academy, make_user):
    user, chargebacks = make_user(), academy["chargebacks"]  # in the specialist path only
    progress.module_open(user=user, module=chargebacks)
    starter = progress.summarise(progress.path_steps(academy["starter"]), {chargebacks.pk: progress.STARTED})
    assert len(starter.states) == 4 and set(starter.states.values()) == {progress.NOT_STARTED}
    assert not starter.started
    specialist = progress.path_progress(user=user, path=academy["payments-specialist"])
    assert specialist.started and specialist.states[chargebacks.pk] == progress.STARTED


def test_an_assigned_paths_status_is_done_then_due_then_started_or_not(academy, make_user):
    user, path = make_user(), academy["starter"]
    far, yesterday = DAY + datetime.timedelta(days=30), DAY - datetime.timedelta(days=1)

    def status(due_date):
        return progress.assignment_status(progress.path_progress(user=user, path=path), due_date=due_date, today=DAY)

    assert (status(far), status(DAY), status(yesterday)) == (progress.NOT_STARTED, progress.DUE_SOON, progress.OVERDUE)
    work_through(user, [academy["payment-basics"]])
    assert (status(far), status(None)) == (progress.ON_TRACK, progress.ON_TRACK)
    work_through(user, [academy["returns"], academy["consent"]])
    assert status(yesterday) == progress.DONE


def test_every_state_and_status_has_a_label():
    assert set(progress.STATE_LABELS) == {
        progress.NOT_STARTED,
        progress.STARTED,
        progress.COMPLETED,
        progress.TESTED_OUT,
    }
    assert set(progress.STATUS_LABELS) == set(progress.STATUS_ORDER)
