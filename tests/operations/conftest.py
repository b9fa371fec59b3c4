import pytest


@pytest.fixture
def academy_restored_afterwards(django_db_blocker):
    """After a transactional test's flush, commit again what the session started with (the
    migrations' rows and the fixture curriculum), so the tests after this one find it. Listed before
    transactional_db, so it is torn down after the flush."""
    yield
    from wagtail.models import Page

    from tests.conftest import load_fixture_curriculum, restore_baseline

    with django_db_blocker.unblock():
        if not Page.objects.filter(depth=1).exists():
            restore_baseline()
            load_fixture_curriculum()
