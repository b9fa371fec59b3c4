"""Role x knowledge area: for the team page's selection, how much of each knowledge area the members
assigned a role's path have completed, so a manager sees where the team is thin.

A cell is the completed share of the (member, module) pairs it covers: the members of the selection
assigned the role's path, times the path's required modules in that area (progress counts required
modules; an elective never makes a cell look thin). 5 queries whatever the team size: the paths and
their translations, the areas, the assignments, the completions."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from learning.catalogue.models import AreaPage
from learning.records import progress
from learning.records.models import Enrolment, ModuleProgress
from learning.teams import dashboard, member_facts

BANDS = 5  # heat-0 (under 20 %) to heat-4 (80 % and more)


@dataclass
class Cell:
    done: int = 0
    total: int = 0

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else None

    @property
    def band(self):
        return min(self.percent * BANDS // 100, BANDS - 1) if self.total else None


@dataclass
class RoleRow:
    role: str
    paths: list
    members: int = 0
    cells: dict = field(default_factory=dict)  # area id -> Cell
    line: list = field(default_factory=list)  # [(area, Cell or None)] in the table's column order


@dataclass
class AreaTable:
    areas: list
    rows: list
    members: int


def _parent_path(page):
    """A page's parent's tree path (Wagtail's treebeard paths: 4 characters a level)."""
    return page.path[: -page.steplen]


def _areas(modules, language):
    """{module id: area} with each area's title in `language` where translated (`shown_lang` "en" otherwise)."""
    areas = {area.path: area for area in AreaPage.objects.filter(path__in={_parent_path(m) for m in modules})}
    titles = {}
    if language != settings.LANGUAGE_CODE:
        titles = dict(
            AreaPage.objects.filter(
                translation_key__in=[a.translation_key for a in areas.values()], locale__language_code=language
            ).values_list("translation_key", "title")
        )
    for area in areas.values():
        area.shown_title = titles.get(area.translation_key, area.title)
        area.shown_lang = "" if language == settings.LANGUAGE_CODE or area.translation_key in titles else "en"
    return {m.pk: areas[_parent_path(m)] for m in modules if _parent_path(m) in areas}


def role_area_table(team, selection, *, language, today=None):
    today = today or timezone.localdate()
    selected = dashboard.select(member_facts.team_facts(team, today=today), selection)
    member_ids = [member.id for member in selected.members]
    paths = dashboard.paths_in_language(selected.path_ids, language)
    steps = progress.steps_by_path([path.pk for path in paths])
    required = {path.pk: [s.module for s in steps.get(path.pk, []) if s.required] for path in paths}
    area_of = _areas([m for modules in required.values() for m in modules], language)
    assigned = {}
    for user_id, path_id in Enrolment.objects.filter(
        source=Enrolment.ASSIGNED, user__in=member_ids, path__in=required
    ).values_list("user_id", "path_id"):
        assigned.setdefault(path_id, set()).add(user_id)
    # (path, module) -> members assigned the path who completed the module.
    done = dict(
        ((path_id, module_id), n)
        for path_id, module_id, n in ModuleProgress.objects.filter(
            state=progress.COMPLETED,
            user__in=member_ids,
            user__enrolments__source=Enrolment.ASSIGNED,
            user__enrolments__path__in=required,
        )
        .values_list("user__enrolments__path_id", "module_id")
        .annotate(n=Count("id"))
    )
    rows = {}
    for path in paths:
        row = rows.setdefault(path.role or path.shown_title, RoleRow(role=path.role or path.shown_title, paths=[]))
        row.paths.append(path)
        members = assigned.get(path.pk, set())
        row.members += len(members)
        for module in required[path.pk]:
            area = area_of.get(module.pk)
            if area is None:
                continue
            cell = row.cells.setdefault(area.pk, Cell())
            cell.done += done.get((path.pk, module.pk), 0)
            cell.total += len(members)
    used = {area.pk: area for area in area_of.values()}
    areas = sorted(used.values(), key=lambda area: (area.order, area.title))
    for row in rows.values():
        row.line = [(area, row.cells.get(area.pk)) for area in areas]
    return AreaTable(areas=areas, rows=list(rows.values()), members=len(member_ids))
