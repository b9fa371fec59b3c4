from django.shortcuts import render

from learning.catalogue.models import AreaPage, ModulePage, PathPage

MAX_RESULTS = 30


def search(request):
    """Modules (with their readings), paths and areas matching the query. Wagtail's database backend
    uses PostgreSQL full-text search on PostgreSQL. 4 queries whatever the number of results."""
    # Control characters have no meaning in a search and break the backends: a NUL ends SQLite's FTS5
    # string early and PostgreSQL refuses it in text (both a 500). They become spaces.
    query = "".join(char if char.isprintable() else " " for char in request.GET.get("q", "")[:200]).strip()
    # SQLite's full-text backend wraps each word in double quotes without escaping them, so a quote
    # in the query broke the FTS5 syntax (a 500). Plain-text search gives quotes no meaning anyway.
    terms = query.replace('"', " ").strip()
    context = {"query": query, "modules": [], "paths": [], "areas": []}
    if terms:
        areas = {area.path: area for area in AreaPage.objects.live()}
        modules = list(ModulePage.objects.live().search(terms)[:MAX_RESULTS])
        for module in modules:
            module.area = areas.get(module.path[: -ModulePage.steplen])
        context.update(
            modules=modules,
            paths=list(PathPage.objects.live().search(terms)[:10]),
            areas=[area for area in AreaPage.objects.live().search(terms)[:10]],
        )
    return render(request, "learning/search.html", context)
