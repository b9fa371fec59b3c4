import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import timezone

from learning.models import Enrolment, Reminder, Team
from learning.records import progress
from learning.teams import reports

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def test_the_matrix_shows_status_percent_and_due_dates(scenario):
    matrix = reports.team_matrix(scenario["team"], with_scores=True)
    statuses = {row.member.username: row.status for row in matrix.rows}
    assert statuses == {
        "ada": "done",
        "bo": "overdue",
        "cy": "due_soon",
        "di": "not_started",
        "ed": "on_track",
        "fi": None,
    }
    percents = {row.member.username: cell.progress.percent for row, _path, cell in matrix.cells()}
    assert percents == {"ada": 100, "bo": 33, "cy": 67, "di": 0, "ed": 33}
    assert [row.member.username for row in matrix.rows] == ["bo", "cy", "di", "ed", "ada", "fi"]  # most urgent first
    summary = matrix.summary[0]
    assert (summary.assigned, summary.done, summary.overdue, summary.average_percent) == (5, 1, 1, 47)
    assert matrix.overdue_members == 1
    assert next(r for r in matrix.rows if r.member.username == "ada").quiz_average == 100


def test_a_relative_due_date_counts_from_today(scenario, client):
    client.force_login(scenario["manager"])
    fi = scenario["people"]["fi"]
    response = client.post(
        f"/team/{scenario['team'].pk}/assign/", {"member": fi.pk, "path": scenario["path"].pk, "due_in_days": 10}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=fi, path=scenario["path"])
    assert (enrolment.source, enrolment.due_date, enrolment.assigned_by) == ("assigned", days(10), scenario["manager"])


def test_assigning_to_the_whole_team_and_reassigning(scenario, client, academy):
    client.force_login(scenario["manager"])
    other = academy["payments-specialist"]
    client.post(
        f"/team/{scenario['team'].pk}/assign/", {"member": "team", "path": other.pk, "due_date": days(20).isoformat()}
    )
    assert Enrolment.objects.filter(path=other, source="assigned").count() == 6
    client.post(
        f"/team/{scenario['team'].pk}/assign/",
        {"member": scenario["people"]["ada"].pk, "path": other.pk, "due_date": days(40).isoformat()},
    )
    assert Enrolment.objects.get(user=scenario["people"]["ada"], path=other).due_date == days(40)


def test_a_date_and_a_number_of_days_together_are_refused(scenario, client):
    client.force_login(scenario["manager"])
    response = client.post(
        f"/team/{scenario['team'].pk}/assign/",
        {"member": "team", "path": scenario["path"].pk, "due_date": days(3).isoformat(), "due_in_days": 5},
    )
    assert response.status_code == 400 and "not both" in response.content.decode()


def test_a_due_date_in_the_past_is_refused_with_a_clear_message(scenario, client):
    client.force_login(scenario["manager"])
    fi = scenario["people"]["fi"]
    page = client.get(f"/team/{scenario['team'].pk}/").content.decode()
    assert f'min="{TODAY.isoformat()}"' in page  # the date picker offers no past day either

    response = client.post(
        f"/team/{scenario['team'].pk}/assign/",
        {"member": fi.pk, "path": scenario["path"].pk, "due_date": days(-1).isoformat()},
    )

    assert response.status_code == 400
    assert "This date is in the past. Choose today or a later day." in response.content.decode()
    assert not Enrolment.objects.filter(user=fi).exists()
    today = client.post(
        f"/team/{scenario['team'].pk}/assign/",
        {"member": fi.pk, "path": scenario["path"].pk, "due_date": TODAY.isoformat()},
    )
    assert today.status_code == 302 and Enrolment.objects.get(user=fi).due_date == TODAY


def test_dates_show_the_year_unless_it_is_this_year(scenario, client):
    client.force_login(scenario["manager"])
    team, path = scenario["team"], scenario["path"]
    bo, ed = scenario["people"]["bo"], scenario["people"]["ed"]
    Enrolment.objects.filter(user=bo, path=path).update(due_date=datetime.date(2020, 1, 1))
    Enrolment.objects.filter(user=ed, path=path).update(due_date=datetime.date(TODAY.year, 12, 31))

    matrix = client.get(f"/team/{team.pk}/").content.decode()
    assert "due 1 Jan 2020" in matrix and "due 31 Dec<" in matrix
    assert "due 1 January 2020" in client.get(f"/team/{team.pk}/member/{bo.pk}/").content.decode()
    assert "due 31 December<" in client.get(f"/team/{team.pk}/member/{ed.pk}/").content.decode()


def test_unassigning_asks_for_confirmation_first(scenario, client):
    client.force_login(scenario["manager"])
    team, bo, path = scenario["team"], scenario["people"]["bo"], scenario["path"]
    member_page = client.get(f"/team/{team.pk}/member/{bo.pk}/").content.decode()
    confirm_url = f"/team/{team.pk}/unassign/?member={bo.pk}&amp;path={path.pk}"
    assert f'href="{confirm_url}"' in member_page

    confirm = client.get(confirm_url.replace("&amp;", "&"))

    html = confirm.content.decode()
    assert confirm.status_code == 200 and "Remove “Starter” from Bo Overdue?" in html
    assert f'action="/team/{team.pk}/unassign/"' in html and "Remove the path</button>" in html
    assert Enrolment.objects.get(user=bo, path=path).source == "assigned"  # asking changed nothing
    done = client.post(f"/team/{team.pk}/unassign/", {"member": bo.pk, "path": path.pk})
    assert done.status_code == 302 and done["Location"] == f"/team/{team.pk}/member/{bo.pk}/"
    assert Enrolment.objects.get(user=bo, path=path).source == "self"
    assert client.get(confirm_url.replace("&amp;", "&")).status_code == 404  # nothing left to remove


def test_unassigning_keeps_the_learners_progress(scenario, client):
    client.force_login(scenario["manager"])
    bo = scenario["people"]["bo"]
    assert "Unassign this path" in client.get(f"/team/{scenario['team'].pk}/member/{bo.pk}/").content.decode()
    client.post(f"/team/{scenario['team'].pk}/unassign/", {"member": bo.pk, "path": scenario["path"].pk})
    enrolment = Enrolment.objects.get(user=bo, path=scenario["path"])
    assert (enrolment.source, enrolment.due_date) == ("self", None)
    assert progress.path_progress(user=bo, path=scenario["path"]).done == 1
    assert "Bo Overdue" in client.get(f"/team/{scenario['team'].pk}/").content.decode()


def test_managers_see_completion_only_unless_scores_are_agreed(scenario, client, settings):
    client.force_login(scenario["manager"])
    team, ada = scenario["team"], scenario["people"]["ada"]
    settings.ACADEMY_MANAGER_SEES = "completion"
    assert "Quiz average" not in client.get(f"/team/{team.pk}/").content.decode()
    member_page = client.get(f"/team/{team.pk}/member/{ada.pk}/").content.decode()
    assert "Quiz attempts" not in member_page and "% passed" not in member_page
    assert "Quiz average" not in b"".join(client.get(f"/team/{team.pk}/export/matrix.csv").streaming_content).decode()
    settings.ACADEMY_MANAGER_SEES = "scores"
    assert "Quiz average" in client.get(f"/team/{team.pk}/").content.decode()
    assert "Quiz attempts" in client.get(f"/team/{team.pk}/member/{ada.pk}/").content.decode()


def test_learners_see_exactly_what_their_manager_sees(scenario, client, settings):
    ada = scenario["people"]["ada"]
    client.force_login(ada)
    settings.ACADEMY_MANAGER_SEES = "completion"
    html = client.get("/learn/manager-view/").content.decode()
    assert "do not see your quiz scores" in html and "Starter" in html and "Quiz attempts" not in html
    settings.ACADEMY_MANAGER_SEES = "scores"
    assert "Quiz attempts" in client.get("/learn/manager-view/").content.decode()


def test_the_member_page_shows_modules_readings_and_a_timeline(scenario, client):
    client.force_login(scenario["manager"])
    cy = scenario["people"]["cy"]
    html = client.get(f"/team/{scenario['team'].pk}/member/{cy.pk}/").content.decode()
    assert "Payment basics" in html and "Returns management" in html and "Done" in html and "Not started" in html
    assert "completed Returns management" in html


@pytest.mark.parametrize(
    "role, expected",
    [
        ("anonymous", {"list": 302, "team": 302, "member": 302, "csv": 302, "assign": 302}),
        ("learner", {"list": 404, "team": 404, "member": 404, "csv": 404, "assign": 404}),
        ("team member", {"list": 404, "team": 404, "member": 404, "csv": 404, "assign": 404}),
        ("other manager", {"list": 200, "team": 404, "member": 404, "csv": 404, "assign": 404}),
        ("manager", {"list": 200, "team": 200, "member": 200, "csv": 200, "assign": 302}),
        # Staff (editors) see content, not people; every team only with the permission or as superuser.
        ("staff", {"list": 404, "team": 404, "member": 404, "csv": 404, "assign": 404}),
        ("superuser", {"list": 200, "team": 200, "member": 200, "csv": 200, "assign": 302}),
        ("granted view all teams", {"list": 200, "team": 200, "member": 200, "csv": 200, "assign": 302}),
        ("group with view all teams", {"list": 200, "team": 200, "member": 200, "csv": 200, "assign": 302}),
    ],
)
def test_permission_matrix(scenario, client, make_user, role, expected):
    team, ada = scenario["team"], scenario["people"]["ada"]
    users = {
        "learner": make_user("outsider"),
        "team member": scenario["people"]["bo"],
        "other manager": make_user("otto"),
        "manager": scenario["manager"],
        "staff": make_user("sam", is_staff=True),
        "superuser": make_user("root", is_staff=True, is_superuser=True),
        "granted view all teams": make_user("vera"),
        "group with view all teams": make_user("hr"),
    }
    view_all_teams = Permission.objects.get(codename="view_all_teams")
    users["granted view all teams"].user_permissions.add(view_all_teams)
    auditors = Group.objects.create(name="People auditors")
    auditors.permissions.add(view_all_teams)
    users["group with view all teams"].groups.add(auditors)
    Team.objects.create(name="Other team").managers.add(users["other manager"])
    if role != "anonymous":
        client.force_login(users[role])
    got = {
        "list": client.get("/team/").status_code,
        "team": client.get(f"/team/{team.pk}/").status_code,
        "member": client.get(f"/team/{team.pk}/member/{ada.pk}/").status_code,
        "csv": client.get(f"/team/{team.pk}/export/matrix.csv").status_code,
        "assign": client.post(f"/team/{team.pk}/assign/", {"member": "team", "path": scenario["path"].pk}).status_code,
    }
    assert got == expected


def test_a_manager_cannot_open_a_non_member_through_their_team(scenario, client, make_user):
    client.force_login(scenario["manager"])
    stranger = make_user("stranger")
    assert client.get(f"/team/{scenario['team'].pk}/member/{stranger.pk}/").status_code == 404


def test_reminders_go_out_once_and_respect_the_opt_out(scenario, mailoutbox):
    scenario["people"]["cy"].reminders_opt_out = True
    scenario["people"]["cy"].save()
    call_command("send_reminders")
    learners = sorted(m.to[0] for m in mailoutbox if "Overdue" in m.subject or "Due on" in m.subject)
    assert learners == ["bo@example.org"]  # cy opted out; ada is done; di and ed are not due soon
    assert any(m.to == ["maria@example.org"] and "1 member overdue" in m.body for m in mailoutbox)
    sent = len(mailoutbox)
    call_command("send_reminders")
    call_command("send_reminders")
    assert len(mailoutbox) == sent
    from learning.teams.reminders import send_due_reminders

    assert send_due_reminders(today=days(1)) == 0  # not every day: the schedule is in tests/teams/test_reminders.py
    assert Reminder.objects.filter(kind=Reminder.DIGEST).count() == 1


def test_reminders_also_run_as_a_django_task(scenario, mailoutbox):
    from learning.tasks import send_reminders_task

    result = send_reminders_task.enqueue()  # the default backend runs it at once
    assert result.return_value == {"reminders": 2, "digests": 1}
    assert send_reminders_task.enqueue().return_value == {"reminders": 0, "digests": 0}


def test_the_assignment_form_offers_each_path_once_in_english(scenario, client):
    """A path exists in three languages; the assignment is a record, kept on the English path."""
    from learning.models import PathPage

    assert PathPage.objects.live().exclude(locale__language_code="en").exists()  # the fixture has a German path
    client.force_login(scenario["manager"])
    form = client.get(f"/team/{scenario['team'].pk}/").context["form"]
    offered = list(form.fields["path"].queryset)
    assert offered and {path.locale.language_code for path in offered} == {"en"}
    assert len({path.translation_key for path in offered}) == len(offered)


def test_managers_learn_of_reviews_only_whether_a_member_keeps_up_and_only_with_scores(scenario, client, settings):
    import datetime

    from django.utils import timezone

    from learning.models import ReviewCard
    from tests.factories import work_through

    client.force_login(scenario["manager"])
    team, ada = scenario["team"], scenario["people"]["ada"]
    work_through(ada, [scenario["path"].steps.first().module.specific])
    url = f"/team/{team.pk}/member/{ada.pk}/"
    settings.ACADEMY_MANAGER_SEES = "completion"
    assert "Keeps up with reviews" not in client.get(url).content.decode()
    settings.ACADEMY_MANAGER_SEES = "scores"
    assert "Keeps up with reviews: yes" in client.get(url).content.decode()
    ReviewCard.objects.filter(user=ada).update(due=timezone.now() - datetime.timedelta(days=8))
    page = client.get(url).content.decode()
    assert "Keeps up with reviews: no" in page
    # Which questions, when, or how the answers went stays the learner's.
    assert "review" not in page.lower().replace("keeps up with reviews", "")
