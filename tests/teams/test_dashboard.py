"""The team page as a dashboard: filters, headline counts that link to them, sorting, paging, hidden
paths, the chart, path titles in the page's language, and a query count that does not grow."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.models import Team
from learning.records import progress, services
from learning.teams import dashboard, member_facts, reports
from tests.factories import work_through
from tests.teams.conftest import days


def names_on(html):
    """Member names in the rows' order (each row links the member's page)."""
    return re.findall(r'class="member-link">([^<]+)</a>', html)


def page(client, team, query=""):
    return client.get(f"/team/{team.pk}/{query}").content.decode()


def test_every_member_reads_the_status_progress_gives_them(scenario):
    """The page's ranks come from progress.assignment_status, as the matrix's do."""
    team = scenario["team"]
    facts = {m.id: m for m in member_facts.team_facts(team, today=days(0)).members}
    for row in reports.team_matrix(team, with_scores=False).rows:
        expected = progress.STATUS_ORDER.index(row.status) if row.status else member_facts.NOTHING_ASSIGNED
        assert facts[row.member.pk].rank == expected, row.member.name


def test_headline_counts_link_to_their_filters(scenario, client):
    client.force_login(scenario["manager"])
    html = page(client, scenario["team"])
    assert names_on(html) == ["Bo Overdue", "Cy Soon", "Di Idle", "Ed Track", "Ada Done", "Fi Free"]
    assert '<a href="?status=overdue" class="status status-overdue">1 member is overdue</a>' in html
    assert '<a href="?status=due_soon" class="status status-due_soon">Due soon: 1</a>' in html
    assert '<a href="?status=done" class="status status-done">Done: 1</a>' in html

    overdue = page(client, scenario["team"], "?status=overdue")
    assert names_on(overdue) == ["Bo Overdue"]
    assert 'aria-current="true">1 member is overdue' in overdue
    assert names_on(page(client, scenario["team"], "?status=on_track")) == ["Ed Track"]


def test_filter_by_path_and_name_and_the_counts_follow(scenario, client, academy):
    team, manager = scenario["team"], scenario["manager"]
    other = academy["payments-specialist"]
    services.assignment_create(manager=manager, members=[scenario["people"]["fi"]], path=other, due_date=days(-3))
    client.force_login(manager)
    assert names_on(page(client, team, f"?path={other.pk}")) == ["Fi Free"]
    html = page(client, team, "?q=idle")
    assert names_on(html) == ["Di Idle"] and "Not started: 1" in html and "0 members are overdue" in html
    both = page(client, team, f"?path={scenario['path'].pk}&status=overdue")
    assert names_on(both) == ["Bo Overdue"]  # Fi is overdue in the other path only
    assert names_on(page(client, team, "?q=nobody")) == [] and "No member matches these filters." in page(
        client, team, "?q=nobody"
    )


def test_sorting_by_name_progress_and_last_activity(scenario, client):
    client.force_login(scenario["manager"])
    team = scenario["team"]
    assert names_on(page(client, team, "?sort=name")) == [
        "Ada Done", "Bo Overdue", "Cy Soon", "Di Idle", "Ed Track", "Fi Free"
    ]  # fmt: skip
    # least done first; nothing assigned before all
    assert names_on(page(client, team, "?sort=progress")) == [
        "Fi Free", "Di Idle", "Bo Overdue", "Ed Track", "Cy Soon", "Ada Done"
    ]  # fmt: skip
    # never active first, then the quietest longest
    activity = names_on(page(client, team, "?sort=activity"))
    assert set(activity[:2]) == {"Di Idle", "Fi Free"} and len(activity) == 6
    assert names_on(page(client, team, "?sort=nonsense&status=bogus")) == names_on(page(client, team))


def test_fifty_members_a_page_with_the_filters_kept(academy, make_user, client):
    team, manager = build_team(make_user, academy, 60, "p")
    client.force_login(manager)
    first = page(client, team, "?sort=name")
    assert len(names_on(first)) == 50 and "Page 1 of 2" in first
    assert 'href="?sort=name&amp;page=2" rel="next"' in first
    second = page(client, team, "?sort=name&page=2")
    assert len(names_on(second)) == 10 and names_on(second)[0] == "Member 050"
    assert page(client, team, "?sort=name&page=99").count('class="member-link"') == 10  # the last page


def test_paths_nobody_shown_is_assigned_are_hidden_until_asked(scenario, client, academy):
    team, manager = scenario["team"], scenario["manager"]
    other = academy["payments-specialist"]
    services.assignment_create(manager=manager, members=[scenario["people"]["fi"]], path=other, due_date=days(9))
    client.force_login(manager)
    overdue = page(client, team, "?status=overdue")
    assert '<th scope="col">Payments specialist</th>' not in overdue
    assert "1 path that nobody shown is assigned is hidden." in overdue
    assert 'href="?status=overdue&amp;all_paths=on"' in overdue
    shown = page(client, team, "?status=overdue&all_paths=on")
    assert '<th scope="col">Payments specialist</th>' in shown and "not assigned" in shown
    assert '<th scope="col">Payments specialist</th>' in page(client, team)  # Fi is shown: her path is too


def test_the_chart_names_every_path_in_full_with_its_figures_in_text(scenario, client):
    client.force_login(scenario["manager"])
    html = page(client, scenario["team"])
    assert '<span class="chart-label">Starter</span>' in html
    assert '47% average progress, 1 of 5 done, <span class="chart-overdue">1 overdue</span>' in html
    assert 'class="chart-bar" aria-hidden="true"' in html and '<svg class="chart"' not in html
    assert "100% average progress, 1 of 1 done" in page(client, scenario["team"], "?status=done")


def test_german_team_pages_name_paths_in_german_and_mark_english_ones(scenario, client, academy):
    team, manager = scenario["team"], scenario["manager"]
    services.assignment_create(
        manager=manager, members=[scenario["people"]["fi"]], path=academy["payments-specialist"], due_date=days(9)
    )
    client.force_login(manager)
    html = client.get(f"/de/team/{team.pk}/").content.decode()
    assert '<th scope="col">Einstieg</th>' in html  # translated in the fixture curriculum
    assert '<th scope="col"><span lang="en">Payments specialist</span></th>' in html
    assert "Überfällig" in html or "überfällig" in html


def build_team(make_user, academy, size, prefix):
    manager = make_user(f"{prefix}-manager")
    team = Team.objects.create(name=f"{prefix} team")
    team.managers.add(manager)
    User = type(manager)
    members = User.objects.bulk_create(
        User(username=f"{prefix}-{i}", display_name=f"Member {i:03d}") for i in range(size)
    )
    team.members.add(*members)
    services.assignment_create(manager=manager, members=members, path=academy["starter"], due_in_days=10)
    services.assignment_create(
        manager=manager, members=members[::2], path=academy["payments-specialist"], due_in_days=-2
    )
    for member in members[::3]:
        work_through(member, [academy["payment-basics"]])
    return team, manager


@pytest.mark.parametrize("query", ["", "?status=overdue&sort=name", "?sort=activity&q=member"])
def test_the_team_page_runs_the_same_queries_for_5_and_200_members(academy, make_user, client, query):
    counts = []
    for size in (5, 200):
        team, manager = build_team(make_user, academy, size, f"t{size}{len(query)}")
        client.force_login(manager)
        client.get(f"/team/{team.pk}/{query}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/team/{team.pk}/{query}")
        shown = min(size if "overdue" not in query else (size + 1) // 2, dashboard.PAGE_SIZE)
        assert response.status_code == 200 and len(names_on(response.content.decode())) == shown
        counts.append(len(queries))
    # session, user, team; the facts: curriculum version, fingerprint, then (the "pages" cache is off in
    # tests, so the facts and the steps are computed every time) members, enrolments, version and steps,
    # module states, last visits, last attempts; the paths; the page's users; the page's matrix:
    # enrolments, version and steps, states, last visits, quiz averages; the action bar's and the
    # filter's path choices. On a server with the facts and steps kept: 14 (bench/team_report.py).
    assert counts[0] == counts[1] == 22, counts


@pytest.fixture
def kept_facts(settings):
    """The "pages" cache as on a server (tests run without it), emptied before and after."""
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["pages"].clear()
    yield caches["pages"]
    caches["pages"].clear()


def test_kept_statuses_follow_every_change_at_once(scenario, client, academy, kept_facts):
    """The facts are kept between requests, but a learner's progress, an assignment, a new member or a
    new name shows on the next page: the key follows the members' progress_version and the team's rows."""
    team, manager, people = scenario["team"], scenario["manager"], scenario["people"]
    client.force_login(manager)
    assert names_on(page(client, team, "?status=done")) == ["Ada Done"]
    assert any("team-facts" in key for key in kept_facts._cache)  # kept
    assert names_on(page(client, team, "?status=done")) == ["Ada Done"]
    work_through(people["bo"], [academy["returns"], academy["consent"]])  # Bo finishes Starter
    assert names_on(page(client, team, "?status=done")) == ["Ada Done", "Bo Overdue"]
    services.assignment_create(manager=manager, members=[people["fi"]], path=academy["starter"], due_date=days(-5))
    assert names_on(page(client, team, "?status=overdue")) == ["Fi Free"]
    newcomer = type(manager).objects.create(username="gil", display_name="Gil New")
    team.members.add(newcomer)
    assert "Gil New" in names_on(page(client, team, "?sort=name"))


def test_the_same_view_again_is_the_kept_page_and_an_action_shows_its_message_and_its_change(
    scenario, client, academy, kept_facts
):
    """learning/teams/page_cache.py: a second look at the same selection is not rendered again; after an
    assignment the manager sees the message and the new state, never the copy from before."""
    team, manager, people = scenario["team"], scenario["manager"], scenario["people"]
    client.force_login(manager)
    url = f"/team/{team.pk}/?status=due_soon"
    client.get(url), client.get(url)  # the first sets the CSRF cookie; the second is kept
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(url)
    assert kept.context is None and names_on(kept.content.decode()) == ["Cy Soon"]
    # session, user, the team (with the manager's right to it), its state: curriculum version, members
    # and their versions; the page itself costs nothing more.
    assert len(queries) == 5, [q["sql"][:80] for q in queries]
    other = academy["payments-specialist"]
    client.post(
        f"/team/{team.pk}/assign/",
        {"members": [people["fi"].pk], "path": other.pk, "due_date": days(1).isoformat(), "back": url},
    )
    after = client.get(url)
    assert after.context is not None  # rendered, with its message
    html = after.content.decode()
    assert "Assigned “Payments specialist” to 1 member(s)." in html
    assert names_on(html) == ["Cy Soon", "Fi Free"]
    again = client.get(url).content.decode()
    assert names_on(again) == ["Cy Soon", "Fi Free"] and "Assigned “Payments" not in again  # no message kept


def test_the_member_page_names_their_paths_in_the_pages_language(scenario, client):
    client.force_login(scenario["manager"])
    bo = scenario["people"]["bo"]
    assert "<h2>Einstieg " in client.get(f"/de/team/{scenario['team'].pk}/member/{bo.pk}/").content.decode()
    assert "<h2>Starter " in client.get(f"/team/{scenario['team'].pk}/member/{bo.pk}/").content.decode()
