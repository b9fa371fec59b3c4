import shutil

import pytest
from django.contrib.auth.models import Group

from tests.conftest import FIXTURE_CURRICULUM


@pytest.fixture
def curriculum(tmp_path):
    """A writable copy of the fixture curriculum."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CURRICULUM, target)
    return target


@pytest.fixture
def editor(make_user):
    user = make_user("edda")
    user.groups.add(Group.objects.get(name="Editors"))
    return user
