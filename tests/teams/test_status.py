"""One rule, said the same everywhere: how near a due date is (progress.due_status), that a module without
a record is not started (progress.state_of), and what states and statuses are called (progress's labels)
read alike on the team page, the member page, the exports, My learning, the path page and the reminders."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from learning.models import Team
from learning.records import progress, services
from learning.teams import reminders, reports
from tests.factories import work_through

TODAY = timezone.localdate()


@pytest.fixture
def team(academy, make_user):
    manager = make_user("maria", display_name="Maria Manager")
    member = make_user("lena", display_name="Lena Learner", email="lena@example.org")
    team = Team.objects.create(name="Shop team")
    team.managers.add(manager)
    team.members.add(member)
    return {"team": team, "manager": manager, "member": member, "path": academy["starter"]}


def assign(team, due_in_days):
    services.assignment_create(
        manager=team["manager"],
        members=[team["member"]],
        path=team["path"],
        due_date=TODAY + datetime.timedelta(days=due_in_days),
    )


@pytest.mark.parametrize(
    "due_in_days, status, mail_subject",
    [
        (-1, progress.OVERDUE, "Overdue: Starter"),
        (0, progress.DUE_SOON, "Due on"),
        (progress.DUE_SOON_DAYS, progress.DUE_SOON, "Due on"),
        (progress.DUE_SOON_DAYS + 1, progress.NOT_STARTED, None),
    ],
)
def test_the_matrix_my_learning_and_the_reminder_agree_on_the_boundary_days(
    team, client, mailoutbox, due_in_days, status, mail_subject
):
    assign(team, due_in_days)

    cell = next(cell for _row, _path, cell in reports.team_matrix(team["team"], with_scores=False).cells())
    assert cell.status == status
    assert reminders.send_due_reminders() == (1 if mail_subject else 0)
    if mail_subject:
        assert mailoutbox[0].subject.startswith(mail_subject)
    client.force_login(team["member"])
    my_learning = client.get("/learn/").content.decode()
    assert ("overdue since" in my_learning) == (status == progress.OVERDUE)


def test_a_module_without_a_record_reads_not_started_on_every_page_and_export(team, client, academy):
    assign(team, 30)
    work_through(team["member"], [academy["payment-basics"]])
    path, other_modules = team["path"], ["returns", "consent", "shipping"]

    detail = reports.member_detail(team["member"], with_scores=False)
    (_enrolment, summary, status, modules) = detail.paths[0]
    assert status == progress.ON_TRACK
    assert [state for _step, state, _record in modules] == [progress.COMPLETED] + [progress.NOT_STARTED] * 3
    client.force_login(team["manager"])
    export = client.get(f"/team/{team['team'].pk}/export/records.csv")
    records = b"".join(export.streaming_content).decode()
    states = {line[3]: line[5] for line in csv.reader(io.StringIO(records))}
    assert {title: states[title] for title in ("Payment basics", "Returns management")} == {
        "Payment basics": progress.STATE_LABELS[progress.COMPLETED],  # the screen's words
        "Returns management": progress.STATE_LABELS[progress.NOT_STARTED],
    }
    member_page = client.get(f"/team/{team['team'].pk}/member/{team['member'].pk}/").content.decode()
    assert member_page.count(f'<span class="badge badge-elective">{progress.STATE_LABELS[progress.NOT_STARTED]}') == 3
    client.force_login(team["member"])
    path_page = client.get(path.url).content.decode()
    assert path_page.count(f">{progress.STATE_LABELS[progress.NOT_STARTED]}</span>") == len(other_modules)


def test_pages_name_states_and_statuses_as_progress_names_them(team, client, academy, monkeypatch):
    """The labels have one definition: change it, and the team page, the member page and the path page
    all say the new words."""
    monkeypatch.setitem(progress.STATUS_LABELS, progress.DUE_SOON, "Due any day now")
    monkeypatch.setitem(progress.STATE_LABELS, progress.NOT_STARTED, "Not opened yet")
    monkeypatch.setitem(progress.STATE_LABELS, progress.COMPLETED, "Finished")
    # A path's status has its own labels (the team page's counts name every status).
    monkeypatch.setitem(progress.STATUS_LABELS, progress.NOT_STARTED, "Not opened yet")
    monkeypatch.setitem(progress.STATUS_LABELS, progress.DONE, "Finished")
    assign(team, 1)
    work_through(team["member"], [academy["payment-basics"]])
    client.force_login(team["manager"])

    matrix = client.get(f"/team/{team['team'].pk}/").content.decode()
    member_page = client.get(f"/team/{team['team'].pk}/member/{team['member'].pk}/").content.decode()
    assert '<span class="status status-due_soon">Due any day now</span>' in matrix
    assert '<span class="status status-due_soon">Due any day now</span>' in member_page
    assert "Finished" in member_page and member_page.count("Not opened yet") == 3
    for word in ("Due soon", "Not started", ">Done<"):
        assert word not in matrix + member_page
    client.force_login(team["member"])
    path_page = client.get(team["path"].url).content.decode()
    assert "Finished" in path_page and path_page.count("Not opened yet") == 3
