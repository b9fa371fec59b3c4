"""The team matrix, the member detail and their exports: computed in bulk, shared by the pages,
the CSV/XLSX exports and the reminder digest, so every place shows the same numbers."""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Avg, Max
from django.utils import timezone
from openpyxl import Workbook

from learning.catalogue.models import PathPage
from learning.records import progress
from learning.records.models import Enrolment, ModuleProgress, QuizAttempt, ReadingVisit


@dataclass
class Cell:
    enrolment: Enrolment
    progress: progress.PathProgress
    status: str  # progress.assignment_status; the page names it with the status_badge tag


@dataclass
class Row:
    member: object
    cells: dict  # path id -> Cell, for the paths assigned to this member
    columns: list = field(default_factory=list)  # [(path, Cell or None)] in the matrix's column order
    last_activity: object = None
    quiz_average: float = None

    @property
    def status(self):
        """The member's most urgent status across their assigned paths."""
        statuses = [cell.status for cell in self.cells.values()]
        return min(statuses, key=progress.STATUS_ORDER.index) if statuses else None


@dataclass
class PathSummary:
    path: object
    assigned: int = 0
    done: int = 0
    overdue: int = 0
    percent_total: int = 0

    @property
    def average_percent(self):
        return round(self.percent_total / self.assigned) if self.assigned else 0


@dataclass
class Matrix:
    team: object
    paths: list
    rows: list
    summary: list = field(default_factory=list)
    with_scores: bool = False
    members: list = field(default_factory=list)  # by name, as the assignment form lists them

    @property
    def overdue_members(self):
        return sum(1 for row in self.rows if row.status == progress.OVERDUE)

    def cells(self):
        for row in self.rows:
            for path in self.paths:
                if path.pk in row.cells:
                    yield row, path, row.cells[path.pk]


def team_matrix(team, *, with_scores, sort="status", today=None):
    """Member x assigned path. 7 queries, whatever the number of members, paths or attempts:
    members, assigned enrolments, their paths, steps (+module), module states, last activity, quiz averages."""
    today = today or timezone.localdate()
    member_ids = team.members.values("id")
    members = list(team.members.order_by("display_name", "username"))
    enrolments = list(Enrolment.objects.filter(user__in=member_ids, source=Enrolment.ASSIGNED))
    # One page object per path, not one per enrolment (select_related would build 50 for 50 members).
    paths_by_id = PathPage.objects.in_bulk({e.path_id for e in enrolments})
    for enrolment in enrolments:
        enrolment.path = paths_by_id[enrolment.path_id]
    paths = sorted(paths_by_id.values(), key=lambda path: (path.order, path.title))
    steps = progress.steps_by_path([path.pk for path in paths])
    module_ids = {step.module_id for path_steps in steps.values() for step in path_steps}
    states = {}
    for user_id, module_id, state in ModuleProgress.objects.filter(
        user__in=member_ids, module__in=module_ids
    ).values_list("user_id", "module_id", "state"):
        states.setdefault(user_id, {})[module_id] = state
    activity = dict(
        ModuleProgress.objects.filter(user__in=member_ids)
        .values("user_id")
        .annotate(last=Max("last_seen_at"))
        .values_list("user_id", "last")
    )
    quiz = {
        row["user_id"]: row
        for row in QuizAttempt.objects.filter(user__in=member_ids)
        .values("user_id")
        .annotate(avg=Avg("score"), last=Max("submitted_at"))
    }
    rows = {member.pk: Row(member=member, cells={}) for member in members}
    summary = {path.pk: PathSummary(path=path) for path in paths}
    for enrolment in enrolments:
        result = progress.summarise(steps.get(enrolment.path_id, []), states.get(enrolment.user_id, {}))
        status = progress.assignment_status(result, due_date=enrolment.due_date, today=today)
        rows[enrolment.user_id].cells[enrolment.path_id] = Cell(enrolment=enrolment, progress=result, status=status)
        totals = summary[enrolment.path_id]
        totals.assigned += 1
        totals.done += status == progress.DONE
        totals.overdue += status == progress.OVERDUE
        totals.percent_total += result.percent
    for row in rows.values():
        row.columns = [(path, row.cells.get(path.pk)) for path in paths]
        last_quiz = quiz.get(row.member.pk, {}).get("last")
        row.last_activity = max(filter(None, [activity.get(row.member.pk), last_quiz]), default=None)
        if with_scores and row.member.pk in quiz:
            row.quiz_average = round(quiz[row.member.pk]["avg"])
    ordered = list(rows.values())
    if sort == "status":
        ordered.sort(
            key=lambda row: (
                progress.STATUS_ORDER.index(row.status) if row.status else len(progress.STATUS_ORDER),
                row.member.name.lower(),
            )
        )
    else:
        ordered.sort(key=lambda row: row.member.name.lower())
    return Matrix(
        team=team,
        paths=paths,
        rows=ordered,
        summary=[summary[p.pk] for p in paths],
        with_scores=with_scores,
        members=members,
    )


@dataclass
class MemberDetail:
    member: object
    paths: list  # [(enrolment, PathProgress, status, [(step, state, ModuleProgress or None)])]
    attempts: list
    readings: list
    timeline: list
    with_scores: bool


def member_detail(member, *, with_scores, today=None):
    """One member's assigned paths, attempts, readings and activity. 6 queries, whatever their history."""
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(user=member, source=Enrolment.ASSIGNED).select_related("path").order_by("due_date")
    )
    steps = progress.steps_by_path([e.path_id for e in enrolments])
    records = {row.module_id: row for row in ModuleProgress.objects.filter(user=member).select_related("module")}
    states = {module_id: row.state for module_id, row in records.items()}
    paths = []
    for enrolment in enrolments:
        path_steps = steps.get(enrolment.path_id, [])
        result = progress.summarise(path_steps, states)
        status = progress.assignment_status(result, due_date=enrolment.due_date, today=today)
        modules = [(s, result.states[s.module_id], records.get(s.module_id)) for s in path_steps]
        paths.append((enrolment, result, status, modules))
    attempts = (
        list(QuizAttempt.objects.filter(user=member).select_related("module").order_by("-submitted_at"))
        if with_scores
        else []
    )
    readings = list(ReadingVisit.objects.filter(user=member).select_related("link__module").order_by("-last_visit_at"))
    timeline = [(r.started_at, "started", r.module.title) for r in records.values()]
    timeline += [(r.completed_at, "completed", r.module.title) for r in records.values() if r.completed_at]
    timeline += [(a.submitted_at, "passed" if a.passed else "attempted", a.module.title) for a in attempts]
    timeline += [(v.first_visit_at, "read", v.link.title) for v in readings]
    timeline.sort(key=lambda event: event[0], reverse=True)
    return MemberDetail(
        member=member,
        paths=paths,
        attempts=attempts,
        readings=readings,
        timeline=timeline[:50],
        with_scores=with_scores,
    )


def _matrix_table(matrix):
    header = ["member", "path", "status", "percent", "modules done", "modules required", "due date", "last activity"]
    if matrix.with_scores:
        header.append("quiz average")
    rows = []
    for row, path, cell in matrix.cells():
        line = [
            row.member.name,
            path.title,
            cell.status,
            cell.progress.percent,
            cell.progress.done,
            cell.progress.required,
            cell.enrolment.due_date.isoformat() if cell.enrolment.due_date else "",
            timezone.localtime(row.last_activity).strftime("%Y-%m-%d %H:%M") if row.last_activity else "",
        ]
        if matrix.with_scores:
            line.append("" if row.quiz_average is None else row.quiz_average)
        rows.append(line)
    return header, rows


def _records_table(matrix):
    """Every member x module of their assigned paths: the detail behind the matrix, each state as the
    matrix counted it. 1 more query (completion times)."""
    member_ids = [row.member.pk for row in matrix.rows]
    completed_at = {
        (user_id, module_id): when
        for user_id, module_id, when in ModuleProgress.objects.filter(
            user__in=member_ids, completed_at__isnull=False
        ).values_list("user_id", "module_id", "completed_at")
    }
    steps = progress.steps_by_path([path.pk for path in matrix.paths])
    header = ["member", "path", "stage", "module", "required", "state", "completed at"]
    rows = []
    for row, path, cell in matrix.cells():
        for step in steps.get(path.pk, []):
            when = completed_at.get((row.member.pk, step.module_id))
            rows.append(
                [
                    row.member.name,
                    path.title,
                    step.stage,
                    step.module.title,
                    "yes" if step.required else "no",
                    cell.progress.states[step.module_id],
                    timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else "",
                ]
            )
    return header, rows


TABLES = {"matrix": _matrix_table, "records": _records_table}
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): names and
# titles are free text, so such cells get a leading apostrophe, as OWASP advises.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def export_csv(matrix, table="matrix"):
    header, rows = TABLES[table](matrix)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_as_text(value) for value in row] for row in rows)
    return buffer.getvalue()


def export_xlsx(matrix, table="matrix"):
    workbook = Workbook()
    for index, name in enumerate(TABLES):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        header, rows = TABLES[name](matrix)
        sheet.append(header)
        for line in rows:
            sheet.append(line)
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":  # openpyxl makes a formula of any text starting with "="
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
