"""Background jobs (django-tasks). Each goes to the "background" queue: a row in the database that
`manage.py db_worker --backend background` (on any host) claims and runs once. Enqueue from anywhere:

    from learning.tasks import send_reminders_task
    send_reminders_task.enqueue()                      # returns at once; a worker runs it
    send_reminders_task.using(run_after=when).enqueue()  # not before `when`

Arguments must be JSON (ids and strings, never model instances: the worker loads what it needs).
Tests run the queue immediately (config/settings/test.py); tests/operations/test_background_tasks.py
runs the real database queue with two workers.
"""

from django_tasks import task

from learning.authoring.linkcheck import BROKEN, check_links
from learning.interop.tasks import send_xapi_task  # noqa: F401  (the xAPI sender; defined there, enqueued there)
from learning.models import ReadingLink
from learning.teams.reminders import send_due_reminders, send_manager_digests

BACKGROUND = "background"


@task(backend=BACKGROUND)
def send_reminders_task():
    """The same work as `manage.py send_reminders`; safe to run often (at most one mail per period)."""
    return {"reminders": send_due_reminders(), "digests": send_manager_digests()}


@task(backend=BACKGROUND)
def check_reading_links_task(only_failed=False):
    """The same work as `manage.py check_reading_links`: slow (one HTTP check per reading), so a worker's."""
    links = ReadingLink.objects.select_related("module").order_by("module__title", "sort_order", "pk")
    if only_failed:
        links = links.filter(BROKEN)
    summary = check_links(links, concurrency=4, timeout=10)
    return {"checked": summary.checked, "broken": len(summary.broken)}
