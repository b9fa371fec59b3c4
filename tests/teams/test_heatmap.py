"""Role x knowledge area: where the team (or the filtered part of it) is thin, as a table whose cells
say their numbers in text too."""

from learning.teams import dashboard, heatmap


def test_each_area_counts_the_required_modules_completed_by_the_roles_members(scenario):
    table = heatmap.role_area_table(scenario["team"], dashboard.Selection(), language="en")
    assert [area.title for area in table.areas] == ["Payments", "Logistics", "Data protection and law"]
    (row,) = table.rows
    assert (row.role, row.members) == ("Anyone new", 5)
    # payment basics: Ada, Bo, Cy, Ed; returns: Ada, Cy; consent: Ada (of 5 members each)
    assert [(area.title, cell.done, cell.total, cell.percent, cell.band) for area, cell in row.line] == [
        ("Payments", 4, 5, 80, 4),
        ("Logistics", 2, 5, 40, 2),
        ("Data protection and law", 1, 5, 20, 1),
    ]


def test_the_area_view_follows_the_filter_and_reads_as_text(scenario, client):
    client.force_login(scenario["manager"])
    html = client.get(f"/team/{scenario['team'].pk}/areas/?status=overdue").content.decode()
    assert "the 1 member shown has completed" in html
    assert '<td class="heat heat-4">100%<span class="visually-hidden"> (1 of 1 completed)</span></td>' in html
    assert '<td class="heat heat-0">0%<span class="visually-hidden"> (0 of 1 completed)</span></td>' in html
    team_page = client.get(f"/team/{scenario['team'].pk}/?status=overdue").content.decode()
    assert f'href="/team/{scenario["team"].pk}/areas/?status=overdue"' in team_page


def test_german_area_names_where_translated(scenario, client):
    client.force_login(scenario["manager"])
    html = client.get(f"/de/team/{scenario['team'].pk}/areas/").content.decode()
    assert '<th scope="col" lang="en">Payments</th>' in html  # no German payments area in the fixture
    assert '<th scope="col">Logistik</th>' in html


def test_other_teams_areas_are_not_found(scenario, client, make_user):
    client.force_login(make_user("otto"))
    assert client.get(f"/team/{scenario['team'].pk}/areas/").status_code == 404
