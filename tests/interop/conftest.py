import pytest
from django.db import connection

from tests.interop.lrs import LRS_PYTHON, PASSWORD, USERNAME, RalphLRS


@pytest.fixture
def xapi(settings):
    """xAPI on, sending to a port where nothing listens (tests that need an LRS start one: `ralph`)."""
    settings.XAPI_ENDPOINT = "http://127.0.0.1:9/xAPI/"
    settings.XAPI_USERNAME, settings.XAPI_PASSWORD = USERNAME, PASSWORD
    settings.XAPI_ACTOR = "account"
    return settings


@pytest.fixture(scope="module")
def ralph_server(tmp_path_factory):
    if not LRS_PYTHON.exists():
        pytest.fail(f"Ralph is missing at {LRS_PYTHON}: `make lrs` installs it (requirements-lrs.txt)")
    lrs = RalphLRS(tmp_path_factory.mktemp("ralph")).start()
    yield lrs
    lrs.stop()


@pytest.fixture
def ralph(ralph_server, xapi):
    """The running LRS, with the academy sending to it."""
    if ralph_server.process is None:
        ralph_server.start()
    xapi.XAPI_ENDPOINT = ralph_server.endpoint
    return ralph_server


@pytest.fixture
def commits(db):
    """Call it to run what waited for a commit (the send task), as a real commit would: a test's transaction
    never commits, so nothing runs by itself (Django's captureOnCommitCallbacks runs them only at its end)."""
    start = len(connection.run_on_commit)

    def run():
        pending = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]
        for _savepoints, callback, _robust in pending:
            callback()

    return run
