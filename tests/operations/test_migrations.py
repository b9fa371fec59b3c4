"""Existing databases migrate forward unchanged: the regroup kept one app label (learning), so a
database built by the migrations as they were before it (learning 0001-0008), with a learner's
records written through those migrations' models, is read by today's models without a row lost."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page

from learning.catalogue.models import ModulePage, PathPage
from learning.catalogue.quiz import questions_from_quiz
from learning.records import grading, progress
from learning.records.models import Certificate, Enrolment, QuizAttempt
from learning.teams import reports
from learning.teams.models import Team

# The last migration on main before the regroup. A test database is built by the migrations, so
# migrating back to this point and forward again replays every migration added since.
BEFORE_REGROUP = ("learning", "0008_editors_submit_lead_editors_publish")
PASSWORD = "an-old-learners-password"

# Every table of the app, as the migrations named them. Moving a model to another module must not
# rename one: a rename would be a migration that every existing database has to run.
TABLES = {
    "learning_academyhomepage",
    "learning_areaindexpage",
    "learning_areapage",
    "learning_badgesigningkey",
    "learning_brokenlinkreport",
    "learning_certificate",
    "learning_curriculumsource",
    "learning_enrolment",
    "learning_learneraccount",
    "learning_modulepage",
    "learning_modulepagetag",
    "learning_moduleprogress",
    "learning_modulereread",
    "learning_outboxstatement",
    "learning_pathindexpage",
    "learning_pathpage",
    "learning_pathstep",
    "learning_quizanswer",
    "learning_quizattempt",
    "learning_readinglink",
    "learning_readingvisit",
    "learning_reminder",
    "learning_reviewcard",
    "learning_revisionnote",
    "learning_team",
    "learning_team_managers",
    "learning_team_members",
    "learning_testouttry",
    "learning_user",
    "learning_user_groups",
    "learning_user_user_permissions",
}

OLD_QUIZ = [
    {
        "type": "question",
        "id": "block-1",
        "value": {
            "key": "old-q1",
            "kind": "single",
            "prompt": "Which one?",
            "choices": [
                {"type": "item", "id": "choice-right", "value": {"text": "This", "correct": True, "feedback": ""}},
                {"type": "item", "id": "choice-wrong", "value": {"text": "That", "correct": False, "feedback": "No."}},
            ],
            "explanation": "Because.",
        },
    }
]


@pytest.fixture
def academy_restored_afterwards(django_db_blocker):
    """Commit again what the session started with after the transactional test's flush, so the tests
    after this one find it. Listed before transactional_db, so it is torn down after the flush."""
    yield
    from tests.conftest import load_fixture_curriculum, restore_baseline

    with django_db_blocker.unblock():
        if not Page.objects.filter(depth=1).exists():
            restore_baseline()
            load_fixture_curriculum()


def migrate(target):
    """Migrate the test database to `target` nodes; a fresh executor reads the graph anew each time."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader


def add_page(old_apps, parent, model_name, **fields):
    """A live page under `parent`, written as the old code's migrations see it: historical models have
    no treebeard methods, so the tree columns are filled in here as Page.add_child would."""
    Page = old_apps.get_model("wagtailcore", "Page")
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    model = old_apps.get_model("learning", model_name)
    siblings = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    last = siblings.order_by("-path").values_list("path", flat=True).first()
    step = int(last[-4:], 36) + 1 if last else 1
    page = model.objects.create(
        title=fields["slug"].title(),
        draft_title=fields["slug"].title(),
        path=parent.path + _base36(step).rjust(4, "0"),
        depth=parent.depth + 1,
        url_path=f"{parent.url_path}{fields['slug']}/",
        content_type=ContentType.objects.get_for_model(model),
        locale_id=parent.locale_id,
        live=True,
        **fields,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    return page


def _base36(number):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while number:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
    return text


def write_old_records(old_apps):
    """A learner who passed a module's quiz, finished a path and holds its certificate, in a team; all
    through the models of migration 0008. Returns the primary keys to look for afterwards."""
    get = old_apps.get_model
    user = get("learning", "User").objects.create_user("old-learner", password=PASSWORD, display_name="Old Learner")
    manager = get("learning", "User").objects.create_user("old-manager", password=PASSWORD)
    team = get("learning", "Team").objects.create(name="Old team")
    team.members.add(user)
    team.managers.add(manager)

    english = {"locale__language_code": "en"}  # the fixture curriculum has German index pages too
    areas = get("learning", "AreaIndexPage").objects.get(**english)
    area = add_page(old_apps, areas, "AreaPage", slug="old-area", summary="S.")
    module = add_page(
        old_apps, area, "ModulePage", slug="old-module", summary="S.", objectives="Do it", minutes=15, quiz=OLD_QUIZ
    )
    get("learning", "ReadingLink").objects.create(
        module=module, sort_order=0, title="R", url="https://example.org/r", publisher="P", why="W"
    )
    path = add_page(
        old_apps,
        get("learning", "PathIndexPage").objects.get(**english),
        "PathPage",
        slug="old-path",
        role="R",
        audience="A",
    )
    get("learning", "PathStep").objects.create(path=path, module=module, sort_order=0, stage="Week one")

    enrolment = get("learning", "Enrolment").objects.create(
        user=user, path=path, source="assigned", assigned_by=manager, completed_at="2026-01-02T10:00Z"
    )
    get("learning", "ModuleProgress").objects.create(
        user=user, module=module, state="completed", completed_at="2026-01-02T10:00Z"
    )
    attempt = get("learning", "QuizAttempt").objects.create(
        user=user, module=module, score=100, pass_mark=70, passed=True, form_token="old-form"
    )
    get("learning", "QuizAnswer").objects.create(
        attempt=attempt, question_key="old-q1", choices=["choice-right"], correct=True
    )
    certificate = get("learning", "Certificate").objects.create(enrolment=enrolment)
    return {"user": user.pk, "module": module.pk, "path": path.pk, "team": team.pk, "certificate": certificate.uid}


def test_records_written_before_the_regroup_are_read_by_todays_models(
    academy_restored_afterwards, transactional_db, academy, client
):
    loader = migrate([BEFORE_REGROUP])
    old = write_old_records(loader.project_state([BEFORE_REGROUP]).apps)

    loader = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # every app's latest
    assert loader.detect_conflicts() == {}
    assert not MigrationExecutor(connection).migration_plan(loader.graph.leaf_nodes())

    # The learner's password still checks; the pages written then are today's page types, in a sound tree,
    # and the module serves its quiz.
    user = get_user_model().objects.get(pk=old["user"])
    assert user.check_password(PASSWORD) and user.display_name == "Old Learner"
    assert isinstance(Page.objects.get(pk=old["module"]).specific, ModulePage)
    assert all(problems == [] for problems in Page.find_problems())
    module, path = ModulePage.objects.get(pk=old["module"]), PathPage.objects.get(pk=old["path"])
    client.force_login(user)
    response = client.get("/areas/old-area/old-module/")
    assert response.status_code == 200 and "Which one?" in response.content.decode()

    # Progress, the quiz attempt and its answers, the certificate: as today's rules read them.
    summary = progress.path_progress(user=user, path=path)
    assert (summary.required, summary.done, summary.complete) == (1, 1, True)
    attempt = QuizAttempt.objects.get(user=user, module=module)
    stored = {a.question_key: (a.choices, a.correct) for a in attempt.answers.all()}
    [review] = grading.review(questions_from_quiz(module.quiz), stored)
    assert ([choice.text for choice in review.chosen], review.correct, attempt.passed) == (["This"], True, True)
    certificate = Certificate.objects.get(uid=old["certificate"])
    assert (certificate.enrolment.user, certificate.enrolment.path.specific) == (user, path)
    assert Enrolment.objects.get(user=user).assigned_by.username == "old-manager"

    # The team and its manager's report over those records.
    team = Team.objects.get(pk=old["team"])
    assert list(team.managers.values_list("username", flat=True)) == ["old-manager"]
    [row] = reports.team_matrix(team, with_scores=True).rows
    assert (row.member, row.status, row.quiz_average) == (user, progress.DONE, 100)

    # Today's models ask for no migration the database has not run.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_model_keeps_the_learning_app_label_and_its_table(db):
    models = list(apps.get_app_config("learning").get_models(include_auto_created=True))
    assert {model._meta.app_label for model in models} == {"learning"}
    assert {model._meta.db_table for model in models} == TABLES
    assert set(connection.introspection.table_names()) >= TABLES
    # And the migrations' own idea of each table agrees with the model's.
    state = MigrationExecutor(connection).loader.project_state().apps
    for model in apps.get_app_config("learning").get_models():
        assert state.get_model("learning", model.__name__)._meta.db_table == model._meta.db_table
