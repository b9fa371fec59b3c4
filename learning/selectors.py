"""Reads for the catalogue pages, each a fixed number of queries however large the catalogue."""
from itertools import groupby

from django.db.models import Count, Sum

from learning.models import AreaPage, ModulePage, PathPage, PathStep


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


def path_stages(path):
    """[(stage label, [steps])] in path order, modules attached: 1 query."""
    steps = PathStep.objects.filter(path=path, module__live=True).select_related("module").order_by("sort_order")
    return [(label, list(group)) for label, group in groupby(steps, key=lambda step: step.stage)]
