"""backup_db and restore_db: a backup taken while the site writes restores every learner's progress.

Transactional tests: the backup tools (sqlite3's backup API, pg_dump, pg_restore) work on committed
data through their own connections, as they do beside a running site.
"""

import io
import re
import threading

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from learning.models import Enrolment, Team
from learning.operations.backup import MAGIC, NAME
from learning.records import services
from tests.factories import pass_quiz, work_through


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "original_images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "original_images" / "floor-plan.png").write_bytes(b"\x89PNG not really")
    return settings.MEDIA_ROOT


def row_counts():
    """Rows of every learning model (User is ours too) and of the many-to-many tables (team members)."""
    models = apps.get_app_config("learning").get_models(include_auto_created=True)
    return {model._meta.label: model.objects.count() for model in models}


def learners_at_work(academy, make_user):
    """A team of two learners and a manager; assignments, enrolments, attempts (failed and passed)."""
    lena, max_, boss = make_user("lena", display_name="Lena Learner"), make_user("max"), make_user("boss")
    team = Team.objects.create(name="Online shop team")
    team.managers.add(boss)
    team.members.add(lena, max_)
    services.assignment_create(manager=boss, members=[lena, max_], path=academy["starter"], due_in_days=14)
    services.enrolment_create(user=lena, path=academy["payments-specialist"])
    work_through(lena, [academy["payment-basics"], academy["returns"], academy["consent"]], failed_attempts=1)
    work_through(max_, [academy["payment-basics"]])
    pass_quiz(max_, academy["chargebacks"])
    return lena, max_


def backup_while_a_writer_is_mid_transaction(target):
    """Run backup_db while another connection holds an open write transaction (a learner signing up)."""
    started, finish = threading.Event(), threading.Event()

    def sign_up():
        try:
            with transaction.atomic():
                get_user_model().objects.create_user(username="midway", password="a-long-test-password")
                started.set()
                finish.wait(60)
        finally:
            connection.close()

    writer = threading.Thread(target=sign_up)
    writer.start()
    try:
        assert started.wait(30)
        out = io.StringIO()
        call_command("backup_db", str(target), stdout=out)
    finally:
        finish.set()
        writer.join()
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_restore_brings_back_every_learners_progress_and_media(academy, make_user, media_root, tmp_path, client):
    lena, max_ = learners_at_work(academy, make_user)
    before = row_counts()
    for label in (
        "learning.Enrolment",
        "learning.ModuleProgress",
        "learning.QuizAttempt",
        "learning.QuizAnswer",
        "learning.Certificate",
        "learning.TeamMember",
        "learning.TeamManager",
    ):
        assert before[label] > 0, label

    target = tmp_path / "backups" / "academy-test.dump"
    out = backup_while_a_writer_is_mid_transaction(target)
    assert f"Backed up to {target}" in out
    assert (tmp_path / "backups" / "academy-test.media.tar.gz").is_file()

    # After the backup: the sign-up commits, a learner leaves, the team is dissolved, more attempts.
    max_.delete()
    Team.objects.all().delete()
    services.quiz_attempt_submit(user=lena, module=academy["chargebacks"], answers={})
    Enrolment.objects.filter(user=lena, path=academy["payments-specialist"]).update(due_date="2026-01-01")
    (media_root / "original_images" / "floor-plan.png").unlink()
    assert row_counts() != before

    with pytest.raises(CommandError, match=rf"Restoring {re.escape(str(target))} replaces all data .* --yes"):
        call_command("restore_db", str(target))
    assert get_user_model().objects.filter(username="midway").exists()  # refused: nothing changed

    out = io.StringIO()
    call_command("restore_db", str(target), "--yes", stdout=out)
    assert f"Restoring {target} into the database" in out.getvalue()
    assert row_counts() == before
    assert not get_user_model().objects.filter(username="midway").exists()  # uncommitted when backed up
    assert (media_root / "original_images" / "floor-plan.png").read_bytes() == b"\x89PNG not really"
    if connection.vendor == "sqlite":  # the live database stays in WAL mode for the running site
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    client.force_login(get_user_model().objects.get(username="lena"))
    response = client.get("/learn/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Welcome back, Lena Learner" in html and "Completed paths" in html and "View certificate" in html
    assert "1 of 3 modules" in html and "overdue since" not in html


@pytest.mark.django_db
def test_restore_refuses_a_missing_file_or_one_of_the_wrong_kind(tmp_path):
    with pytest.raises(CommandError, match="no backup at"):
        call_command("restore_db", str(tmp_path / "missing.sqlite3"), "--yes")

    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    with pytest.raises(CommandError, match="is not a backup; this site runs on"):
        call_command("restore_db", str(notes), "--yes")

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    wrong = tmp_path / "wrong-kind"
    wrong.write_bytes(MAGIC[other] + b"\x00" * 100)
    with pytest.raises(CommandError, match=f"is a .*; this site runs on {NAME[connection.vendor]}"):
        call_command("restore_db", str(wrong), "--yes")


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file(tmp_path):
    target = tmp_path / "academy.sqlite3"
    target.write_text("an earlier backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup_db", str(target))
    assert target.read_text() == "an earlier backup"
