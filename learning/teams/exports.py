"""The team page's selection as files: every member the filters keep, in the page's sort, with the
screen's words (progress.STATUS_LABELS, STATE_LABELS in the reader's language) and path titles.

CSV streams: members are built CHUNK at a time through reports.team_matrix (6 queries a chunk), so
memory stays flat at 5,000 members. XLSX is a styled workbook (bold frozen header, column widths,
dates as dates, percentages as numbers formatted as percent)."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from learning.accounts.models import User
from learning.records import progress
from learning.records.models import ModuleProgress
from learning.teams import dashboard, member_facts, reports

CHUNK = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): names and
# titles are free text, so such cells get a leading apostrophe, as OWASP advises.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PERCENT, DAY, MOMENT = "percent", "day", "moment"  # how a value is written: CSV text, XLSX number/date


def _as_text(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


class Export:
    """One selection of one team (dashboard.Selection), as the team page shows it."""

    def __init__(self, team, selection, *, with_scores, language, today=None):
        self.team, self.with_scores, self.today = team, with_scores, today or timezone.localdate()
        facts = member_facts.team_facts(team, today=self.today)
        self.selected = dashboard.select(facts, selection)
        every_path = facts.path_ids
        shown = every_path if selection.all_paths else self.selected.path_ids
        self.paths = [p for p in dashboard.paths_in_language(every_path, language) if p.pk in shown]

    def chunks(self):
        """The selected members' ids, CHUNK at a time, in the selection's order."""
        ids = [member.id for member in self.selected.members]
        for start in range(0, len(ids), CHUNK):
            yield ids[start : start + CHUNK]

    def matrix_of(self, chunk):
        """reports.Matrix of these members, in this order."""
        users = User.objects.in_bulk(chunk)
        members = [users[pk] for pk in chunk if pk in users]
        return reports.team_matrix(
            self.team, with_scores=self.with_scores, today=self.today, members=members, paths=self.paths
        )

    def matrix_table(self):
        """(header, kinds, rows): one row per member and shown path they are assigned, as the screen lists them."""
        header = [_("Member"), _("Path"), _("Status"), _("Progress"), _("Modules done"), _("Modules required")]
        header += [_("Due date"), _("Last activity")] + ([_("Quiz average")] if self.with_scores else [])
        kinds = [None, None, None, PERCENT, None, None, DAY, MOMENT, PERCENT]
        return header, kinds, self._matrix_rows()

    def _matrix_rows(self):
        labels = {status: str(label) for status, label in progress.STATUS_LABELS.items()}  # one gettext each
        for chunk in self.chunks():
            # A generator per chunk: its matrix is freed before the next chunk's is built (flat memory).
            yield from self._matrix_lines(self.matrix_of(chunk), labels)

    def _matrix_lines(self, matrix, labels):
        for row, path, cell in matrix.cells():
            line = [
                row.member.name,
                path.shown_title,
                labels[cell.status],
                cell.progress.percent,
                cell.progress.done,
                cell.progress.required,
                cell.enrolment.due_date,
                _local(row.last_activity),
            ]
            if self.with_scores:
                line.append(row.quiz_average)
            yield line

    def records_table(self):
        """Every member x module of their shown assigned paths, each state as the matrix counted it."""
        header = [_("Member"), _("Path"), _("Stage"), _("Module"), _("Required"), _("State"), _("Completed at")]
        return header, [None] * 6 + [MOMENT], self._records_rows()

    def _records_rows(self):
        steps = progress.steps_by_path([path.pk for path in self.paths])
        labels = {state: str(label) for state, label in progress.STATE_LABELS.items()}
        for chunk in self.chunks():
            yield from self._records_lines(self.matrix_of(chunk), steps, labels)

    def _records_lines(self, matrix, steps, labels):
        yes, no = _("yes"), _("no")
        completed_at = {
            (user_id, module_id): when
            for user_id, module_id, when in ModuleProgress.objects.filter(
                user__in=[row.member.pk for row in matrix.rows], completed_at__isnull=False
            ).values_list("user_id", "module_id", "completed_at")
        }
        for row, path, cell in matrix.cells():
            for step in steps.get(path.pk, []):
                yield [
                    row.member.name,
                    path.shown_title,
                    step.stage,
                    step.module.title,
                    yes if step.required else no,
                    labels[cell.progress.states[step.module_id]],
                    _local(completed_at.get((row.member.pk, step.module_id))),
                ]

    def csv_lines(self, table="matrix"):
        """The CSV, a line at a time (for StreamingHttpResponse)."""
        header, kinds, rows = TABLES[table](self)
        buffer = io.StringIO()
        writer = csv.writer(buffer)

        def line(values):
            writer.writerow(values)
            text = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return text

        yield line(header)
        for row in rows:
            yield line([_as_text(_csv_value(value, kind)) for value, kind in zip(row, kinds, strict=False)])

    def xlsx(self):
        workbook = Workbook()
        for index, name in enumerate(TABLES):
            sheet = workbook.active if index == 0 else workbook.create_sheet()
            sheet.title = name
            _fill(sheet, *TABLES[name](self))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _csv_value(value, kind):
    if value is None:
        return ""
    if kind == DAY:
        return value.isoformat()
    if kind == MOMENT:
        return value.strftime("%Y-%m-%d %H:%M")
    return value


XLSX_FORMATS = {PERCENT: "0%", DAY: "yyyy-mm-dd", MOMENT: "yyyy-mm-dd hh:mm"}


def _fill(sheet, header, kinds, rows):
    """Header in bold and frozen; percentages as fractions shown as percent; dates as dates; each
    column as wide as its longest value (within reason)."""
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [len(str(title)) for title in header]
    for values in rows:
        sheet.append(
            [
                value / 100 if kind == PERCENT and value is not None else value
                for value, kind in zip(values, kinds, strict=False)
            ]
        )
        for column, (cell, kind) in enumerate(zip(sheet[sheet.max_row], kinds, strict=False)):
            if cell.data_type == "f":  # openpyxl makes a formula of any text starting with "="
                cell.data_type = "s"
            if kind in XLSX_FORMATS:
                cell.number_format = XLSX_FORMATS[kind]
            widths[column] = max(widths[column], 16 if kind in (DAY, MOMENT) else len(str(cell.value or "")))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, 60)


TABLES = {"matrix": Export.matrix_table, "records": Export.records_table}
