import datetime

import pytest
from django.utils import timezone

from learning.models import Team
from learning.records import services
from tests.factories import work_through


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def scenario(academy, make_user):
    """A team of six with the Starter path (3 required modules) assigned in every state: Ada done,
    Bo overdue, Cy due soon, Di not started, Ed on track, Fi nothing assigned."""
    manager = make_user("maria", display_name="Maria Manager", email="maria@example.org")
    team = Team.objects.create(name="Shop team")
    team.managers.add(manager)
    names = {"ada": "Ada Done", "bo": "Bo Overdue", "cy": "Cy Soon", "di": "Di Idle", "ed": "Ed Track", "fi": "Fi Free"}
    people = {key: make_user(key, display_name=name, email=f"{key}@example.org") for key, name in names.items()}
    team.members.add(*people.values())
    starter, modules = academy["starter"], [academy[s] for s in ("payment-basics", "returns", "consent")]
    due = {"ada": days(5), "bo": days(-1), "cy": days(2), "di": days(30), "ed": days(30)}
    for key, date in due.items():
        services.assignment_create(manager=manager, members=[people[key]], path=starter, due_date=date)
    work_through(people["ada"], modules)
    work_through(people["bo"], modules[:1])
    work_through(people["cy"], modules[:2])
    work_through(people["ed"], modules[:1])
    return {"team": team, "manager": manager, "people": people, "path": starter}
