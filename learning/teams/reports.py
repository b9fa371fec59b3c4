"""The team matrix and the member detail: computed in bulk, shared by the pages, the CSV/XLSX exports
(exports.py) and the reminder digest, so every place shows the same numbers."""

from dataclasses import dataclass, field

from django.db.models import Avg, Max
from django.utils import timezone

from learning.catalogue.models import PathPage
from learning.records import practice, progress
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


def team_matrix(team, *, with_scores, sort="status", today=None, members=None, paths=None):
    """Member x assigned path. 7 queries, whatever the number of members, paths or attempts:
    members, assigned enrolments, their paths, steps (+module), module states, last activity, quiz averages.

    `members`: the users to build rows for, in their order (the team page's 50 of a page; dashboard.py
    chose them), else every member sorted by `sort`. `paths`: the columns, else every path assigned to them."""
    today = today or timezone.localdate()
    members_given = members is not None
    if not members_given:
        member_ids = team.members.values("id")
        members = list(team.members.order_by("display_name", "username"))
    else:
        member_ids = [member.pk for member in members]
    enrolments = list(Enrolment.objects.filter(user__in=member_ids, source=Enrolment.ASSIGNED))
    # One page object per path, not one per enrolment (select_related would build 50 for 50 members).
    paths_by_id = {path.pk: path for path in paths} if paths is not None else {}
    paths_by_id.update(PathPage.objects.in_bulk({e.path_id for e in enrolments} - paths_by_id.keys()))
    for enrolment in enrolments:
        enrolment.path = paths_by_id[enrolment.path_id]
    if paths is None:
        paths = sorted(paths_by_id.values(), key=lambda path: (path.order, path.title))
    steps = progress.steps_by_path(paths_by_id)
    module_ids = {step.module_id for path_steps in steps.values() for step in path_steps}
    states = {}
    for user_id, module_id, state in ModuleProgress.objects.filter(
        user__in=member_ids, module__in=module_ids
    ).values_list("user_id", "module_id", progress.shown_state()):
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
        totals = summary.get(enrolment.path_id)
        if totals is None:  # a path not shown as a column
            continue
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
    ordered = list(rows.values())  # in the given members' order, when given
    if not members_given and sort == "status":
        ordered.sort(
            key=lambda row: (
                progress.STATUS_ORDER.index(row.status) if row.status else len(progress.STATUS_ORDER),
                row.member.name.lower(),
            )
        )
    elif not members_given:
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
    # Of retrieval practice a manager learns only this, and only where they see scores; None otherwise.
    keeps_up_with_reviews: bool | None = None


def member_detail(member, *, with_scores, today=None):
    """One member's assigned paths, attempts, readings and activity (and, with scores, whether they keep up
    with their reviews). 6 queries (7 with scores), whatever their history."""
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(user=member, source=Enrolment.ASSIGNED).select_related("path").order_by("due_date")
    )
    steps = progress.steps_by_path([e.path_id for e in enrolments])
    records = {row.module_id: row for row in ModuleProgress.objects.filter(user=member).select_related("module")}
    states = {module_id: progress.state_of_row(row) for module_id, row in records.items()}
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
        keeps_up_with_reviews=practice.keeps_up_with_reviews(user_ids=[member.pk])[member.pk] if with_scores else None,
    )
