"""The search page: the catalogue's pages in the reader's language, ranked by where the words match, with a
count, a highlighted quote of each result, and filters by knowledge area and by path.

Wagtail's database backend searches one index for every language, with one text-search configuration
for the whole backend (SEARCH_CONFIG; Wagtail 8 has no per-language setting): on PostgreSQL full-text
search with that configuration, on SQLite FTS5. A German word finds the German pages because results
are limited to the active language's pages, plus the English pages not translated into it yet. The
backend only chooses the candidates (at most MAX_MODULES); search_ranking orders and quotes them, the same
way on both databases.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F, Q
from django.shortcuts import render
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page
from wagtail.search.query import And, Or, PlainText

from learning.catalogue import search_ranking, selectors
from learning.catalogue.models import AreaPage, ModulePage, PathPage, PathStep
from learning.catalogue.search_ranking import Fields

# The most modules one search ranks and lists; a query matching more says so and asks for a filter. Loading
# each candidate's body for ranking costs no query, only time, so the cap bounds the page's work.
MAX_MODULES = 100
MAX_OTHERS = 10


def in_language(pages, language):
    """`pages` in `language`, and the default language's pages that have no live version in it (one
    SQL query with the search: the locales and the translated keys are subqueries)."""
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    here = Locale.objects.filter(language_code=language)
    if language == default:
        return pages.filter(locale__in=here)
    original = Locale.objects.filter(language_code=default)
    translated = Page.objects.live().filter(locale__in=here).values("translation_key")
    return pages.filter(locale__in=Locale.objects.filter(language_code__in=[language, default])).exclude(
        locale__in=original, translation_key__in=translated
    )


def backend_query(query):
    """Every word of `query` (at most search_ranking.MAX_WORDS), each as written or as its stem without
    accents, so that SQLite's FTS5, which does not stem, finds "returned" for "returns" as PostgreSQL does.
    Words only: FTS5 gives quotes and other signs a syntax, and a quote in the query once caused a 500."""
    words = []
    for word in search_ranking.WORD.findall(query)[: search_ranking.MAX_WORDS]:
        stem = search_ranking.stem(search_ranking.fold(word))
        words.append(PlainText(word) if stem == word.casefold() else Or([PlainText(word), PlainText(stem)]))
    return And(words) if len(words) > 1 else words[0]


def found(pages, terms, language, limit):
    """The first `limit` of `pages` matching `terms` in `language`. An English result on a German search has
    `untranslated` set to "en", which the page marks (lang="en", "not yet translated"); the locale comes with
    the page, not in a query of its own."""
    pages = list(in_language(pages.live().select_related("locale"), language).search(terms)[:limit])
    for page in pages:
        page.untranslated = page.locale.language_code if page.locale.language_code != language else ""
    return pages


def module_fields(module):
    """What ranks and quotes a module: the text the search index holds for it (readings and tags prefetched)."""
    body = ModulePage._meta.get_field("body").get_searchable_content(module.body)
    return Fields(
        title=module.title,
        summary=module.summary,
        tags=[tag.name for tag in module.tags.all()],
        objectives=module.objectives,
        body=[text for text in body if isinstance(text, str)],
        readings=[f"{reading.title} ({reading.publisher})" for reading in module.readings.all()],
    )


def ranked(pages, fields_of, stems):
    """`pages` best first (search_ranking.rank; the backend's order among equals), each with its `snippet`
    and whether it mentions the words only `in_passing`."""
    for page in pages:
        fields = fields_of(page)
        page.snippet = search_ranking.snippet(fields, stems)
        page.ranking = search_ranking.rank(fields, stems)
        page.in_passing = search_ranking.in_passing(page.ranking)
    return sorted(pages, key=lambda page: page.ranking, reverse=True)  # stable: ties keep the backend's order


def catalogue_choices(model, language):
    """Every live page of `model` in `language` and in the default language (for naming a result's area),
    and, for the filter's options, one per translation key in `language` where translated: 1 query."""
    pages = list(
        model.objects.live()
        .filter(locale__language_code__in={language, selectors.default_language()})
        .annotate(language=F("locale__language_code"))
        .order_by("order", "title")
    )
    return pages, selectors.in_language(pages, language)


def chosen(options, slug):
    """The option with this slug (a filter in the URL), or None for none or an unknown one."""
    return next((option for option in options if slug and option.slug == slug), None)


def filtered(modules, *, area, path, areas):
    """Modules in the chosen area (its page in any language) and on the chosen path (steps name the
    default-language modules; their translations share the translation key): subqueries, no query."""
    if area is not None:
        versions = [page.path for page in areas if page.translation_key == area.translation_key]
        anywhere = Q()
        for prefix in versions:
            anywhere |= Q(path__startswith=prefix)
        modules = modules.filter(anywhere)
    if path is not None:
        modules = modules.filter(
            translation_key__in=PathStep.objects.filter(path=path).values("module__translation_key")
        )
    return modules


def without(request, name):
    """This search's URL without one filter (the "remove" link of an active filter)."""
    kept = [(key, value) for key, value in request.GET.items() if key != name and value]
    return f"?{urlencode(kept)}"


def cleaned(query):
    # Control characters have no meaning in a search and break the backends: a NUL ends SQLite's FTS5
    # string early and PostgreSQL refuses it in text (both a 500). They become spaces.
    return "".join(char if char.isprintable() else " " for char in query[:200]).strip()


def search(request):
    """Modules (with their readings), paths and areas matching the query in the active language
    (in_language), best first; with an area or path filter, modules only. 10 queries whatever the
    number of results: session, user, areas, paths (the filters' options), modules, their readings,
    their tags, paths, areas, site root."""
    query = cleaned(request.GET.get("q", ""))
    language = get_supported_content_language_variant(translation.get_language())
    areas, area_options = catalogue_choices(AreaPage, language)
    _paths, path_options = catalogue_choices(PathPage, language)
    area = chosen(area_options, request.GET.get("area"))
    path = chosen(path_options, request.GET.get("path"))
    context = {
        "query": query,
        "area_options": area_options,
        "path_options": path_options,
        "area": area,
        "path": path,
        "without_area": without(request, "area"),
        "without_path": without(request, "path"),
        "modules": [],
        "mentions": [],
        "paths": [],
        "areas": [],
    }
    stems = search_ranking.query_words(query)
    if stems:
        terms = backend_query(query)
        modules = filtered(ModulePage.objects.prefetch_related("readings", "tags"), area=area, path=path, areas=areas)
        modules = found(modules, terms, language, MAX_MODULES + 1)
        context["more"] = len(modules) > MAX_MODULES
        area_of = {page.path: page for page in areas}
        for module in modules[:MAX_MODULES]:
            module.area = area_of.get(module.path[: -ModulePage.steplen])
        modules = ranked(modules[:MAX_MODULES], module_fields, stems)
        context["modules"] = [module for module in modules if not module.in_passing]
        context["mentions"] = [module for module in modules if module.in_passing]
        if area is None and path is None:
            context["paths"] = ranked(
                found(PathPage.objects, terms, language, MAX_OTHERS),
                lambda page: Fields(page.title, page.role, objectives=page.audience),
                stems,
            )
            context["areas"] = ranked(
                found(AreaPage.objects, terms, language, MAX_OTHERS),
                lambda page: Fields(page.title, page.summary),
                stems,
            )
    context["total"] = sum(len(context[results]) for results in ("modules", "mentions", "paths", "areas"))
    return render(request, "learning/search.html", context)
