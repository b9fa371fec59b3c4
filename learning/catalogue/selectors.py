"""Reads for the catalogue pages, each a fixed number of queries however large the catalogue."""

from django.apps import apps
from django.db.models import Count, Q, Sum


def _model(name):
    # The page models call these selectors from get_context; looking the models up by name keeps
    # this module from importing learning.catalogue.models back.
    return apps.get_model("learning", name)


def paths_for_catalogue(*, locale):
    """Live paths with their required and elective module counts and hours: 2 queries."""
    PathPage, PathStep = _model("PathPage"), _model("PathStep")
    paths = list(PathPage.objects.live().filter(locale=locale).order_by("order", "title"))
    stats = {
        row["path_id"]: row
        for row in PathStep.objects.filter(path__in=paths, module__live=True)
        .values("path_id")
        .annotate(
            required_steps=Count("id", filter=Q(required=True)),
            elective_steps=Count("id", filter=Q(required=False)),
            minutes=Sum("module__minutes"),
        )
    }
    for path in paths:
        row = stats.get(path.pk, {})
        path.required_count, path.elective_count = row.get("required_steps", 0), row.get("elective_steps", 0)
        path.hours = round((row.get("minutes") or 0) / 60, 1)
    return paths


def areas_for_catalogue(index_page):
    """Live areas under the index with their module count: 2 queries."""
    AreaPage, ModulePage = _model("AreaPage"), _model("ModulePage")
    areas = list(AreaPage.objects.live().child_of(index_page).order_by("order", "title"))
    counts = {}
    for module_path in ModulePage.objects.live().descendant_of(index_page).values_list("path", flat=True):
        parent = module_path[: -ModulePage.steplen]
        counts[parent] = counts.get(parent, 0) + 1
    for area in areas:
        area.module_count = counts.get(area.path, 0)
    return areas
