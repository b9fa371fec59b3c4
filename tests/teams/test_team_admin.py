"""Teams in Wagtail's admin: managers and members are chosen through a searchable, paged people chooser, so
the edit form holds the team's people whatever the number of users; only who may edit teams reaches it."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.models import Team, User

EDIT = "/admin/snippets/learning/team/edit/{}/"
CHOOSER = "/admin/team-people/"


@pytest.fixture
def team(make_user):
    """A team managed by Maria with Ada and Bo; Zed is a user outside it."""
    maria = make_user("maria", display_name="Maria Manager", email="maria@example.org")
    ada = make_user("ada", display_name="Ada Lovelace", email="ada@example.org")
    bo = make_user("bo", display_name="Bo Builder", email="bo@example.org")
    make_user("zed", display_name="Zed Outsider", email="zed@example.org")
    team = Team.objects.create(name="Shop team")
    team.managers.add(maria)
    team.members.add(ada, bo)
    return team


@pytest.fixture
def admin(make_user, client):
    user = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def add_users(count, prefix):
    User.objects.bulk_create(
        User(username=f"{prefix}{i}", display_name=f"Person {prefix}{i:05d}") for i in range(count)
    )


def test_the_edit_form_does_not_grow_with_the_number_of_users(team, admin, client):
    def edit_form():
        client.get(EDIT.format(team.pk))  # warm caches (site, locales, permissions)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(EDIT.format(team.pk))
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    few_html, few_queries = edit_form()
    add_users(5000, "p")
    many_html, many_queries = edit_form()

    assert "Person p00001" not in many_html
    assert many_queries == few_queries
    assert abs(len(many_html) - len(few_html)) < 200, (len(few_html), len(many_html))
    for name in ("Maria Manager", "Ada Lovelace", "Bo Builder"):
        assert name in many_html
    assert "Zed Outsider" not in many_html


def test_the_people_chooser_searches_and_pages(team, admin, client):
    add_users(300, "q")

    found = client.get(CHOOSER + "results/", {"q": "lovelace"}).content.decode()
    assert "Ada Lovelace" in found and "ada@example.org" in found and "Bo Builder" not in found
    by_address = client.get(CHOOSER + "results/", {"q": "zed@exa"}).content.decode()
    assert "Zed Outsider" in by_address

    with CaptureQueriesContext(connection) as queries:
        page = client.get(CHOOSER + "results/", {"p": 2}).content.decode()
    assert len(re.findall(r"Person q\d{5}", page)) == 20  # a page, never everyone
    assert len(queries) < 12


def test_members_are_added_and_removed_through_the_rows(team, admin, client):
    ada, bo, zed, maria = (User.objects.get(username=name) for name in ("ada", "bo", "zed", "maria"))
    rows = {row.user_id: row.pk for row in team.member_rows.all()}
    data = {
        "name": "Shop team",
        "manager_rows-TOTAL_FORMS": "1",
        "manager_rows-INITIAL_FORMS": "1",
        "manager_rows-0-id": str(team.manager_rows.get().pk),
        "manager_rows-0-user": str(maria.pk),
        "member_rows-TOTAL_FORMS": "3",
        "member_rows-INITIAL_FORMS": "2",
        "member_rows-0-id": str(rows[ada.pk]),
        "member_rows-0-user": str(ada.pk),
        "member_rows-1-id": str(rows[bo.pk]),
        "member_rows-1-user": str(bo.pk),
        "member_rows-1-DELETE": "1",
        "member_rows-2-id": "",
        "member_rows-2-user": str(zed.pk),
    }

    response = client.post(EDIT.format(team.pk), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(team.members.values_list("username", flat=True)) == {"ada", "zed"}
    assert list(maria.managed_teams.all()) == [team]


def test_the_same_person_twice_is_refused_not_a_crash(team, admin, client):
    ada = User.objects.get(username="ada")
    data = {
        "name": "Shop team",
        "manager_rows-TOTAL_FORMS": "0",
        "manager_rows-INITIAL_FORMS": "0",
        "member_rows-TOTAL_FORMS": "2",
        "member_rows-INITIAL_FORMS": "0",
        "member_rows-0-user": str(ada.pk),
        "member_rows-1-user": str(ada.pk),
    }
    response = client.post("/admin/snippets/learning/team/add/", {**data, "name": "Another team"})

    assert response.status_code == 200
    assert "Please correct the duplicate data for team and user" in response.content.decode()
    assert not Team.objects.filter(name="Another team").exists()


@pytest.mark.parametrize("who", ["editor", "manager", "viewer of all teams"])
def test_only_who_may_edit_teams_reaches_the_teams_and_the_people_chooser(team, make_user, client, who):
    user = make_user("someone", is_staff=who == "editor")
    if who == "editor":
        user.groups.add(Group.objects.get(name="Editors"))  # reaches the admin, edits pages
    elif who == "manager":
        team.managers.add(user)  # sees the team at /team/, has no admin access
    else:
        user.user_permissions.add(Permission.objects.get(codename="view_all_teams"))
    client.force_login(user)

    for url in (EDIT.format(team.pk), "/admin/snippets/learning/team/", CHOOSER, CHOOSER + "results/?q=a"):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        assert "Ada Lovelace" not in response.content.decode()


def test_a_group_granted_team_editing_uses_the_chooser(team, make_user, client):
    people_admins = Group.objects.create(name="People admins")
    people_admins.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_team"),
        Permission.objects.get(codename="view_team"),
    )
    user = make_user("hr")
    user.groups.add(people_admins)
    client.force_login(user)

    assert client.get(EDIT.format(team.pk)).status_code == 200
    assert "Ada Lovelace" in client.get(CHOOSER + "results/", {"q": "ada"}).content.decode()
