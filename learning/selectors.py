"""Reads for the catalogue pages, each a fixed number of queries however large the catalogue."""
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Exists, F, OuterRef, Sum
from django.utils import timezone

from learning import permissions, progress
from learning.models import (
    AreaPage, Enrolment, ModulePage, ModuleProgress, PathPage, PathStep, QuizAttempt, ReadingVisit,
)
from learning.page_cache import curriculum_version


def paths_for_catalogue(*, locale):
    """Live paths with module count and hours: 2 queries."""
    paths = list(PathPage.objects.live().filter(locale=locale).order_by("order", "title"))
    stats = {
        row["path_id"]: row
        for row in PathStep.objects.filter(path__in=paths, module__live=True)
        .values("path_id")
        .annotate(modules=Count("id"), minutes=Sum("module__minutes"))
    }
    for path in paths:
        row = stats.get(path.pk, {})
        path.module_count = row.get("modules", 0)
        path.hours = round((row.get("minutes") or 0) / 60, 1)
    return paths


def areas_for_catalogue(index_page):
    """Live areas under the index with their module count: 2 queries."""
    areas = list(AreaPage.objects.live().child_of(index_page).order_by("order", "title"))
    counts = {}
    for module_path in ModulePage.objects.live().descendant_of(index_page).values_list("path", flat=True):
        parent = module_path[: -ModulePage.steplen]
        counts[parent] = counts.get(parent, 0) + 1
    for area in areas:
        area.module_count = counts.get(area.path, 0)
    return areas


def path_for_viewer(*, path, user):
    """The path's stages; for a signed-in viewer also each step's state, the next step, progress and
    enrolment. 1 query anonymous, 3 signed in."""
    if not user.is_authenticated:
        # The template keeps anonymous stages rendered per curriculum version, so they are only
        # read (the template calls this) when that copy is missing.
        return {"stages": lambda: group_stages(progress.path_steps(path)), "curriculum_version": curriculum_version()}
    steps = progress.path_steps(path)
    summary = progress.path_progress(user=user, path=path, steps=steps)
    for step in steps:
        step.state = summary.states.get(step.module_id, progress.NOT_STARTED)
        step.is_next = summary.next_module is not None and step.module_id == summary.next_module.pk
    enrolment = Enrolment.objects.filter(user=user, path=path).select_related("assigned_by", "certificate").first()
    return {"stages": group_stages(steps), "summary": summary, "enrolment": enrolment}


def group_stages(steps):
    """Consecutive steps with the same stage label form a stage."""
    return [(label, list(group)) for label, group in groupby(steps, key=lambda step: step.stage)]


@dataclass
class PathOverview:
    enrolment: object
    progress: object
    steps: list

    @property
    def overdue(self):
        return bool(self.enrolment.due_date and not self.progress.complete and self.enrolment.due_date < timezone.localdate())


def learning_overview(*, user):
    """My learning: each enrolment with its progress, recent completions. 5 queries, whatever the
    number of enrolments, modules or attempts (enrolments, steps, states, recent, managed teams)."""
    enrolments = list(
        Enrolment.objects.filter(user=user).select_related("path", "certificate").order_by(
            F("due_date").asc(nulls_last=True), "-enrolled_at"
        )
    )
    steps_by_path = progress.steps_by_path([e.path_id for e in enrolments])
    states = progress.module_states(user=user, modules={s.module_id for steps in steps_by_path.values() for s in steps})
    paths = [
        PathOverview(enrolment=e, progress=progress.summarise(steps_by_path.get(e.path_id, []), states),
                     steps=steps_by_path.get(e.path_id, []))
        for e in enrolments
    ]
    recent = list(
        ModuleProgress.objects.filter(user=user, state=ModuleProgress.COMPLETED)
        .select_related("module")
        .order_by("-completed_at")[:5]
    )
    manages_teams = permissions.has_team_pages(user)
    return {"paths": paths, "recent": recent, "manages_teams": manages_teams}


def module_for_learner(*, user, module, state, path_slug=None):
    """The signed-in view of a module: opened readings, attempts, and the path around it (the one the
    learner came from, else their first enrolment containing the module). `state` comes from
    progress.module_open, which the visit calls anyway. 4 queries (readings, attempts, path, the
    curriculum version for its cached steps), whatever the path's length."""
    opened_by_user = ReadingVisit.objects.filter(user=user, link=OuterRef("pk"))
    readings = list(module.readings.annotate(opened=Exists(opened_by_user)))
    attempts = list(QuizAttempt.objects.filter(user=user, module=module).order_by("-submitted_at"))
    # The path around the module: the one the learner came from, else their first enrolment with it.
    paths = PathPage.objects.live().filter(steps__module=module)
    if path_slug:
        paths = paths.filter(slug=path_slug)
    else:
        paths = paths.filter(enrolments__user=user)
    here = paths.order_by("order").first()
    previous = following = None
    if here:
        modules = [step.module for step in progress.path_steps(here)]
        index = next((i for i, each in enumerate(modules) if each.pk == module.pk), None)
        if index is not None:
            previous = modules[index - 1] if index > 0 else None
            following = modules[index + 1] if index + 1 < len(modules) else None
    return {
        "state": state, "readings": readings, "opened": {r.pk for r in readings if r.opened}, "attempts": attempts,
        "passed": any(a.passed for a in attempts), "path": here,
        "previous": previous, "next": following,
    }

