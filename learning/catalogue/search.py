"""The search page: the catalogue's pages in the reader's language.

Wagtail's database backend searches one index for every language, with one text-search configuration
for the whole backend (SEARCH_CONFIG; Wagtail 8 has no per-language setting): on PostgreSQL full-text
search with that configuration, on SQLite FTS5. A German word finds the German pages because results
are limited to the active language's pages, plus the English pages not translated into it yet.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from learning.catalogue.models import AreaPage, ModulePage, PathPage

MAX_RESULTS = 30


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


def found(model, terms, language, limit):
    """The first `limit` live pages of `model` matching `terms` in `language`. An English result on a
    German search has `untranslated` set to "en", which the page marks (lang="en", "not yet
    translated"); the locale comes with the page, not in a query of its own."""
    pages = list(in_language(model.objects.live().select_related("locale"), language).search(terms)[:limit])
    for page in pages:
        page.untranslated = page.locale.language_code if page.locale.language_code != language else ""
    return pages


def search(request):
    """Modules (with their readings), paths and areas matching the query, in the active language
    (in_language). 4 queries whatever the number of results."""
    # Control characters have no meaning in a search and break the backends: a NUL ends SQLite's FTS5
    # string early and PostgreSQL refuses it in text (both a 500). They become spaces.
    query = "".join(char if char.isprintable() else " " for char in request.GET.get("q", "")[:200]).strip()
    # SQLite's full-text backend wraps each word in double quotes without escaping them, so a quote
    # in the query broke the FTS5 syntax (a 500). Plain-text search gives quotes no meaning anyway.
    terms = query.replace('"', " ").strip()
    context = {"query": query, "modules": [], "paths": [], "areas": []}
    if terms:
        language = get_supported_content_language_variant(translation.get_language())
        areas = {area.path: area for area in AreaPage.objects.live()}
        modules = found(ModulePage, terms, language, MAX_RESULTS)
        for module in modules:
            module.area = areas.get(module.path[: -ModulePage.steplen])
        context.update(
            modules=modules,
            paths=found(PathPage, terms, language, 10),
            areas=found(AreaPage, terms, language, 10),
        )
    return render(request, "learning/search.html", context)
