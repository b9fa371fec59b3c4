"""Background tasks (django-tasks, which Wagtail uses): the same work as send_reminders."""

from django_tasks import task

from learning.interop.tasks import send_xapi_task  # noqa: F401  (the xAPI sender; defined there, enqueued there)
from learning.teams.reminders import send_due_reminders, send_manager_digests


@task()
def send_reminders_task():
    return {"reminders": send_due_reminders(), "digests": send_manager_digests()}
