"""A job for tests/operations/test_background_tasks.py: it notes each run (job number and the worker's
process) in a file, so the test can count the runs of every job. Slow enough that two workers share the queue."""

import os
import time

from django_tasks import task


@task(backend="background")
def note_run(path, number):
    time.sleep(0.2)
    with open(path, "a") as notes:  # one short append per run: lines from two processes never mix
        notes.write(f"{number} {os.getpid()}\n")
    return number
