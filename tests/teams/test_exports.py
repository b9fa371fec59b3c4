"""Exports equal the screen: the same members in the same order under the same filters, the screen's
words for states in the reader's language, a streamed CSV and a styled XLSX."""

import csv
import datetime
import io
import re

from django.http import StreamingHttpResponse
from django.utils import translation
from openpyxl import load_workbook

from learning.records import progress
from tests.teams.conftest import days


def csv_rows(response):
    assert isinstance(response, StreamingHttpResponse)  # streamed, never built whole in memory
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def screen_names(html):
    return re.findall(r'class="member-link">([^<]+)</a>', html)


def test_the_csv_lists_the_filtered_sorted_members_as_the_screen_does(scenario, client):
    client.force_login(scenario["manager"])
    team = scenario["team"]
    for query in ("", "?sort=name", "?sort=progress", "?status=due_soon", "?q=o&sort=name"):
        screen = screen_names(client.get(f"/team/{team.pk}/{query}").content.decode())
        rows = csv_rows(client.get(f"/team/{team.pk}/export/matrix.csv{query}"))
        assert rows[0][:4] == ["Member", "Path", "Status", "Progress"]
        assert [row[0] for row in rows[1:]] == [name for name in screen if name != "Fi Free"], query  # Fi: no path


def test_the_csv_says_the_screens_words_in_the_readers_language(scenario, client):
    client.force_login(scenario["manager"])
    team = scenario["team"]
    rows = csv_rows(client.get(f"/team/{team.pk}/export/matrix.csv?sort=name"))
    assert [row[:4] for row in rows[1:3]] == [
        ["Ada Done", "Starter", "Done", "100"],
        ["Bo Overdue", "Starter", "Overdue", "33"],
    ]
    assert rows[2][6] == days(-1).isoformat()
    german = csv_rows(client.get(f"/de/team/{team.pk}/export/matrix.csv?status=overdue"))
    assert german[0][:3] == ["Mitglied", "Lernpfad", "Status"]
    with translation.override("de"):
        overdue = str(progress.STATUS_LABELS[progress.OVERDUE])
    assert german[1][:3] == ["Bo Overdue", "Einstieg", overdue] and overdue != "Overdue"


def test_the_xlsx_has_a_bold_frozen_header_widths_dates_and_percentages(scenario, client, settings):
    settings.ACADEMY_MANAGER_SEES = "scores"
    client.force_login(scenario["manager"])
    team = scenario["team"]
    workbook = load_workbook(io.BytesIO(client.get(f"/team/{team.pk}/export/matrix.xlsx?sort=name").content))
    sheet = workbook["matrix"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1]) and sheet[1][0].value == "Member"
    assert sheet.column_dimensions["A"].width >= len("Bo Overdue") and sheet.column_dimensions["B"].width > 0
    bo = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Bo Overdue")
    assert bo[2].value == "Overdue"
    assert bo[3].value == 0.33 and bo[3].number_format == "0%"  # a number, shown as a percentage
    assert isinstance(bo[6].value, datetime.datetime) and bo[6].value.date() == days(-1)  # a date
    assert bo[6].number_format == "yyyy-mm-dd"
    assert isinstance(bo[7].value, datetime.datetime)  # last activity
    assert sheet[1][8].value == "Quiz average" and bo[8].number_format == "0%"
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [
        "Ada Done",
        "Bo Overdue",
        "Cy Soon",
        "Di Idle",
        "Ed Track",
    ]
    records = workbook["records"]
    assert records.freeze_panes == "A2" and records[1][5].value == "State"
    states = {row[3].value: row[5].value for row in records.iter_rows(min_row=2) if row[0].value == "Bo Overdue"}
    assert states["Payment basics"] == "Done" and states["Returns management"] == "Not started"


def test_a_name_starting_like_a_formula_is_kept_as_text(scenario, client):
    bo = scenario["people"]["bo"]
    bo.display_name = "=HYPERLINK(1)"
    bo.save()
    client.force_login(scenario["manager"])
    rows = csv_rows(client.get(f"/team/{scenario['team'].pk}/export/matrix.csv?status=overdue"))
    assert rows[1][0] == "'=HYPERLINK(1)"
    sheet = load_workbook(io.BytesIO(client.get(f"/team/{scenario['team'].pk}/export/matrix.xlsx").content))["matrix"]
    assert any(row[0].value == "=HYPERLINK(1)" and row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))
