"""Editor reports: exact numbers from a hand-built scenario, who sees them, the export, flat reads."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.authoring import editor_reports
from learning.authoring.admin_reports import can_see_editor_reports
from learning.catalogue.quiz import questions_from_quiz
from learning.records import grading, progress, services

pytestmark = pytest.mark.django_db


def quiz_ids(module):
    """[(question key, [choice ids in quiz order])] of the module's current quiz."""
    return [(q.key, [c.id for c in q.choices]) for q in questions_from_quiz(module.quiz)]


def submit(user, module, answers):
    return services.quiz_attempt_submit(user=user, module=module, answers=answers)[0]


def right(module):
    return grading.model_answers(questions_from_quiz(module.quiz))


@pytest.fixture
def scenario(academy, make_user):
    """Three learners in "starter", one also in "payments-specialist".

    payment-basics (2 questions, pass mark 50; q1 single: right, wrong1, wrong2; q2 multiple: A, B right, C):
      ana   1 attempt: all right (100)                      -> passed
      ben   2 attempts: nothing (0); q1 wrong1, q2 A+B (50) -> passed
      cleo  3 attempts: nothing (0); q1 wrong1, q2 C (0); q1 wrong2, q2 A+C (0)
    ana also passes returns and consent (finishing "starter") and opens and completes shipping.
    """
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    starter, specialist = academy["starter"], academy["payments-specialist"]
    for user in (ana, ben, cleo):
        services.enrolment_create(user=user, path=starter)
    services.enrolment_create(user=ana, path=specialist)

    basics = academy["payment-basics"]
    (q1, (q1_right, q1_wrong1, q1_wrong2)), (q2, (q2_a, q2_b, q2_c)) = quiz_ids(basics)
    for user in (ana, ben, cleo):
        progress.module_open(user=user, module=basics)
    submit(ana, basics, right(basics))
    submit(ben, basics, {})
    submit(ben, basics, {q1: [q1_wrong1], q2: [q2_a, q2_b]})
    submit(cleo, basics, {})
    submit(cleo, basics, {q1: [q1_wrong1], q2: [q2_c]})
    submit(cleo, basics, {q1: [q1_wrong2], q2: [q2_a, q2_c]})

    for slug in ("returns", "consent"):
        progress.module_open(user=ana, module=academy[slug])
        submit(ana, academy[slug], right(academy[slug]))
    progress.module_open(user=ana, module=academy["shipping"])
    progress.module_complete(user=ana, module=academy["shipping"])
    return {
        "users": (ana, ben, cleo),
        "choices": {"q1": (q1, q1_right, q1_wrong1, q1_wrong2), "q2": (q2, q2_a, q2_b, q2_c)},
    }


def by_title(rows):
    return {row["title"]: row for row in rows}


def test_path_rows_count_enrolments_and_completions(academy, scenario):
    rows = by_title(editor_reports.path_rows())
    assert rows["Starter"] == {
        "kind": "path",
        "pk": academy["starter"].pk,
        "title": "Starter",
        "enrolled": 3,
        "completed": 1,
        "completion_rate": 33,
    }
    assert rows["Payments specialist"]["enrolled"] == 1
    assert rows["Payments specialist"]["completed"] == 0
    assert rows["Payments specialist"]["completion_rate"] == 0


def test_module_rows_give_pass_rate_average_score_and_median_attempts(academy, scenario):
    rows = {row["pk"]: row for row in editor_reports.module_rows()}
    basics = rows[academy["payment-basics"].pk]
    assert (basics["started"], basics["completed"]) == (3, 2)
    assert (basics["attempted"], basics["passed"], basics["pass_rate"]) == (3, 2, 67)
    assert basics["average_score"] == 25.0  # (100 + 0 + 50 + 0 + 0 + 0) / 6 attempts
    assert basics["median_attempts"] == 2  # median of 1, 2, 3

    returns = rows[academy["returns"].pk]
    assert (returns["started"], returns["completed"], returns["pass_rate"]) == (1, 1, 100)
    assert (returns["average_score"], returns["median_attempts"]) == (100.0, 1)

    shipping = rows[academy["shipping"].pk]  # no quiz: progress counts, no quiz numbers
    assert (shipping["started"], shipping["completed"]) == (1, 1)
    assert shipping["pass_rate"] is shipping["average_score"] is shipping["median_attempts"] is None

    chargebacks = rows[academy["chargebacks"].pk]
    assert (chargebacks["started"], chargebacks["attempted"], chargebacks["pass_rate"]) == (0, 0, None)


def test_median_attempts_of_an_even_number_of_learners_is_the_mean_of_the_middle_two(academy, make_user):
    returns = academy["returns"]
    for name, attempts in (("p", 1), ("q", 4)):
        user = make_user(name)
        for _ in range(attempts):
            submit(user, returns, {})
    row = next(row for row in editor_reports.module_rows() if row["pk"] == returns.pk)
    assert row["median_attempts"] == 2.5
    assert row["pass_rate"] == 0


def test_question_rows_count_answers_share_right_and_picks(academy, scenario):
    basics = academy["payment-basics"]
    rows = editor_reports.question_rows(module=basics)
    q1, q1_right, q1_wrong1, q1_wrong2 = scenario["choices"]["q1"]
    q2, q2_a, q2_b, q2_c = scenario["choices"]["q2"]
    # The most-missed question first: q1 was right once in six answers, q2 twice.
    assert [(row["key"], row["answered"], row["right"], row["share_right"]) for row in rows] == [
        (q1, 6, 1, 17),
        (q2, 6, 2, 33),
    ]
    assert [(c["id"], c["text"], c["correct"], c["picked"]) for c in rows[0]["choices"]] == [
        (q1_right, "The right one", True, 1),
        (q1_wrong1, "A wrong one", False, 2),
        (q1_wrong2, "Another wrong one", False, 1),
    ]
    assert [(c["id"], c["text"], c["picked"]) for c in rows[1]["choices"]] == [
        (q2_a, "Right A", 3),
        (q2_b, "Right B", 2),
        (q2_c, "Wrong C", 2),
    ]


def test_question_rows_put_unanswered_questions_last(academy, scenario):
    rows = editor_reports.question_rows()
    assert [row["module"] for row in rows[:2]] == ["Payment basics", "Payment basics"]
    assert {row["module"] for row in rows if row["answered"] == 0} == {"Chargebacks"}
    assert [row["share_right"] for row in rows[-2:]] == [None, None]
    modules = {row["module"] for row in rows}
    assert modules == {"Payment basics", "Returns management", "Consent and cookies", "Chargebacks"}


# --- the admin views --------------------------------------------------------------------------

REPORTS = ["learning_reports:learning", "learning_reports:questions", "learning_reports:content_health"]


def admin_only_user(make_user):
    """May use the admin, but is neither superuser nor editor."""
    user = make_user("adam")
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return user


def test_who_sees_editor_reports(editor, make_user):
    assert can_see_editor_reports(editor)
    assert can_see_editor_reports(make_user("root", is_superuser=True))
    assert not can_see_editor_reports(make_user("lena"))
    assert not can_see_editor_reports(admin_only_user(make_user))
    editor.is_active = False
    assert not can_see_editor_reports(editor)


@pytest.mark.parametrize(
    "name, shows",
    [
        ("learning_reports:learning", ["Starter", "33 %", "67 % (2/3)", "25.0 %"]),
        ("learning_reports:questions", ["Which statement about payment basics is right?", "17 %", "A wrong one"]),
        ("learning_reports:content_health", ["No quiz", "Right of withdrawal", "Shipping"]),
    ],
)
def test_an_editor_sees_each_report(client, academy, scenario, editor, name, shows):
    client.force_login(editor)
    response = client.get(reverse(name))
    assert response.status_code == 200
    for text in shows:
        assert text in response.content.decode()


@pytest.mark.parametrize("name", REPORTS)
def test_a_learner_is_sent_to_sign_in(client, academy, make_user, name):
    client.force_login(make_user("lena"))
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("name", REPORTS)
def test_admin_users_outside_editors_are_refused(client, academy, make_user, name):
    client.force_login(admin_only_user(make_user))
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("name", REPORTS + ["academy_reading_links"])
def test_a_lead_editor_opens_every_report_and_sees_them_in_the_menu(client, academy, make_user, name):
    lead = make_user("lea")
    lead.groups.add(Group.objects.get(name="Lead editors"))
    assert can_see_editor_reports(lead)
    client.force_login(lead)
    assert client.get(reverse(name)).status_code == 200
    assert reverse(name) in client.get(reverse("wagtailadmin_home")).content.decode()


def test_reports_menu_lists_the_reports_for_editors_only(client, academy, editor, make_user):
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    for name in REPORTS:
        assert reverse(name) in page
    client.force_login(admin_only_user(make_user))
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("learning_reports:learning") not in page


def test_results_fragment_and_xlsx_export_render(client, academy, scenario, editor):
    client.force_login(editor)
    assert "Starter" in client.get(reverse("learning_reports:learning_results")).content.decode()
    response = client.get(reverse("learning_reports:learning"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_question_report_filters_by_module(client, academy, scenario, editor):
    client.force_login(editor)
    response = client.get(reverse("learning_reports:questions"), {"module": academy["returns"].pk})
    keys = [row["key"] for row in response.context["object_list"]]
    assert keys == ["returns-q1", "returns-q2"]


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_learning_export_has_the_same_numbers(client, academy, scenario, editor):
    client.force_login(editor)
    rows = read_csv(client.get(reverse("learning_reports:learning"), {"export": "csv"}))
    by_kind_title = {(row["Kind"], row["Title"]): row for row in rows}
    starter = by_kind_title["path", "Starter"]
    assert (starter["Enrolled"], starter["Completed"], starter["Completion rate (%)"]) == ("3", "1", "33")
    basics = by_kind_title["module", "Payment basics"]
    assert (basics["Started"], basics["Completed"], basics["Quiz pass rate (%)"]) == ("3", "2", "67")
    assert (basics["Average score (%)"], basics["Median attempts"], basics["Enrolled"]) == ("25.0", "2", "")


def test_question_and_health_exports(client, academy, scenario, editor):
    client.force_login(editor)
    query = {"export": "csv", "module": academy["payment-basics"].pk}
    rows = read_csv(client.get(reverse("learning_reports:questions"), query))
    assert [(row["Answered"], row["Right (%)"]) for row in rows] == [("6", "17"), ("6", "33")]
    assert rows[0]["Choices picked"] == "The right one (right): 1; A wrong one: 2; Another wrong one: 1"
    rows = read_csv(client.get(reverse("learning_reports:content_health"), {"export": "csv"}))
    assert {(row["Problem"], row["Page"]) for row in rows} == {
        ("No quiz", "Right of withdrawal"),
        ("No quiz", "Shipping"),
    }


# --- flat reads -------------------------------------------------------------------------------


def learners_working(academy, make_user, count, start):
    for i in range(start, start + count):
        user = make_user(f"learner{i}")
        services.enrolment_create(user=user, path=academy["starter"])
        progress.module_open(user=user, module=academy["payment-basics"])
        submit(user, academy["payment-basics"], {} if i % 2 else right(academy["payment-basics"]))


def report_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("learning_reports:learning")).status_code == 200
    return len(queries)


def test_learning_report_reads_are_flat(client, academy, editor, make_user):
    client.force_login(editor)
    learners_working(academy, make_user, 2, start=0)
    with_two = report_queries(client)
    learners_working(academy, make_user, 18, start=2)
    assert report_queries(client) == with_two
    # The numbers themselves: paths with enrolment counts (1), modules with progress counts (1),
    # attempts grouped by module and learner (1).
    with CaptureQueriesContext(connection) as queries:
        editor_reports.path_rows(), editor_reports.module_rows()
    assert len(queries) == 3


def test_question_and_health_reads_are_flat(academy, scenario):
    # Quizzes of the modules (1), every answer as a tuple (1).
    with CaptureQueriesContext(connection) as queries:
        editor_reports.question_rows()
    assert len(queries) == 2
    # Live modules with a readings flag (1), steps with unpublished modules (1), failing readings (1),
    # open broken-link reports per link (1), translations published before their source (1), links checked
    # and unchecked with the last check's time (1).
    with CaptureQueriesContext(connection) as queries:
        editor_reports.content_health()
    assert len(queries) == 6
