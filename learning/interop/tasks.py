"""The send task, on the "background" queue where it exists (a database row a worker runs; learning/tasks.py
lists every task and re-exports this one). Defined here so the outbox can enqueue it without importing the
app's wiring, which import-linter forbids."""

from django.conf import settings
from django_tasks import task

from learning.interop.sender import drain

QUEUE = "background" if "background" in getattr(settings, "TASKS", {}) else "default"


@task(backend=QUEUE)
def send_xapi_task():
    """Send what the outbox holds, in order, until it is empty or the LRS fails (then the backoff waits)."""
    sent, failed = drain()
    return {"sent": sent, "failed": failed}
