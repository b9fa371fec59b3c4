"""The "background" queue for real (django-tasks' database backend, production settings): jobs enqueued
from two processes at once are each run exactly once by two `db_worker` processes working the same
queue, as on two hosts. The rest of the suite runs jobs at once (config/settings/test.py)."""

import datetime
import subprocess
import sys
from collections import Counter

from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from learning.models import Reminder
from learning.records import services
from tests.serving import ROOT, database_url, production_env

JOBS_PER_PROCESS = 12
ENQUEUE = """
from learning.tasks import send_reminders_task
from tests.operations.background_jobs import note_run
send_reminders_task.enqueue()
for number in range({first}, {first} + {count}):
    note_run.enqueue({notes!r}, number)
"""


def manage(env, *args):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def finished(process, seconds=180):
    output = process.communicate(timeout=seconds)[0].decode(errors="replace")
    assert process.returncode == 0, output[-3000:]
    return output


def test_jobs_enqueued_on_two_hosts_run_once_each_on_two_workers(
    academy_restored_afterwards, transactional_db, academy, make_user, tmp_path
):
    manager = make_user("maria", email="maria@example.org")
    learner = make_user("lena", email="lena@example.org")
    due = timezone.localdate() + datetime.timedelta(days=2)
    services.assignment_create(manager=manager, members=[learner], path=academy["starter"], due_date=due)
    notes = tmp_path / "runs.txt"
    env = production_env(database_url(connection.settings_dict), BASE_URL="http://academy.test")

    enqueuers = [
        manage(env, "shell", "-c", ENQUEUE.format(first=first, count=JOBS_PER_PROCESS, notes=str(notes)))
        for first in (0, JOBS_PER_PROCESS)
    ]
    for process in enqueuers:
        finished(process)
    assert DBTaskResult.objects.filter(backend_name="background", status="READY").count() == 2 * JOBS_PER_PROCESS + 2

    worker_args = ("db_worker", "--backend", "background", "--batch", "--interval", "0.1", "--no-startup-delay")
    workers = [manage(env, *worker_args, "--worker-id", f"worker-{n}") for n in (1, 2)]
    for process in workers:
        finished(process)

    runs = [line.split() for line in notes.read_text().splitlines()]
    assert Counter(number for number, _pid in runs) == {str(n): 1 for n in range(2 * JOBS_PER_PROCESS)}
    assert len({pid for _number, pid in runs}) == 2, "both workers took jobs from the one queue"
    results = DBTaskResult.objects.filter(backend_name="background")
    assert sorted(r.status for r in results) == ["SUCCESSFUL"] * (2 * JOBS_PER_PROCESS + 2)
    assert all(len(r.worker_ids) == 1 for r in results)
    # The reminders ran in a worker: one mail for the due assignment, however many jobs asked for it.
    reminders = [r.return_value for r in results if r.task_path == "learning.tasks.send_reminders_task"]
    assert sorted(r["reminders"] for r in reminders) == [0, 1]
    assert Reminder.objects.filter(recipient=learner).count() == 1
