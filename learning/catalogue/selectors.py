"""Reads for the catalogue pages, each a fixed number of queries however large the catalogue."""

from django.apps import apps
from django.conf import settings
from django.db.models import Count, F, Q, Sum
from wagtail.coreutils import get_supported_content_language_variant

# What listings of modules show (title, link, facts) and what finds their other languages
# (translation_key): loading only these, and not a module's text and quiz, makes a path's steps 5 times
# cheaper to load. A template reading another field would cost a query per module, which the
# query-count tests would catch.
LISTED_MODULE_FIELDS = [
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "live",
    "locale",
    "content_type",
    "summary",
    "minutes",
    "level",
    "translation_key",
]


def _model(name):
    # The page models call these selectors from get_context; looking the models up by name keeps
    # this module from importing learning.catalogue.models back.
    return apps.get_model("learning", name)


def in_language(pages, language):
    """Of pages in `language` and in the default language, one per translation key: the one in `language`
    where there is one (marked translated), else the default language's (marked not translated, with the
    language it is shown in). Keeps the order of `pages`."""
    chosen = {}
    for page in pages:
        page.translated = page.language == language
        if page.translated or page.translation_key not in chosen:
            chosen[page.translation_key] = page
    return [page for page in pages if chosen[page.translation_key] is page]


def paths_for_catalogue(*, locale):
    """Live paths in the locale's language, and those without a translation in it in the default language
    (marked not translated), with their required and elective module counts and hours: 2 queries."""
    PathPage, PathStep = _model("PathPage"), _model("PathStep")
    paths = (
        PathPage.objects.live()
        .filter(locale__language_code__in={locale.language_code, default_language()})
        .annotate(language=F("locale__language_code"))
        .order_by("order", "title")
    )
    paths = in_language(list(paths), locale.language_code)
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


def _modules_by_area(modules, steplen):
    counts = {}
    for module_path in modules.values_list("path", flat=True):
        parent = module_path[:-steplen]
        counts[parent] = counts.get(parent, 0) + 1
    return counts


def areas_for_catalogue(index_page):
    """Live areas under the index with their module count: 2 queries. A translated area lists every module
    of its default-language area (modules_for_area), so on a translated index those are counted: 3 queries."""
    AreaPage, ModulePage = _model("AreaPage"), _model("ModulePage")
    areas = list(AreaPage.objects.live().child_of(index_page).order_by("order", "title"))
    default = default_language()
    if index_page.locale.language_code == default:
        counts = _modules_by_area(ModulePage.objects.live().descendant_of(index_page), ModulePage.steplen)
        for area in areas:
            area.module_count = counts.get(area.path, 0)
        return areas
    originals = AreaPage.objects.filter(
        translation_key__in=[area.translation_key for area in areas], locale__language_code=default
    ).values_list("path", "translation_key")
    counts = _modules_by_area(ModulePage.objects.live().filter(locale__language_code=default), ModulePage.steplen)
    by_key = {key: counts.get(path, 0) for path, key in originals}
    for area in areas:
        area.module_count = by_key.get(area.translation_key, 0)
    return areas


def modules_for_area(area):
    """The live modules an area page lists. In the default language, its own: 1 query. On a translation,
    every module of the default-language area, each in the area's language where it has a live
    translation, else in the default language (marked not translated): 3 queries."""
    AreaPage, ModulePage = _model("AreaPage"), _model("ModulePage")
    default, language = default_language(), area.locale.language_code
    own = ModulePage.objects.child_of(area).live().order_by("path")
    if language == default:
        return own
    original = AreaPage.objects.filter(translation_key=area.translation_key, locale__language_code=default).first()
    if original is None:
        return own
    modules = list(ModulePage.objects.child_of(original).live().order_by("path").only(*LISTED_MODULE_FIELDS))
    versions = module_versions([module.translation_key for module in modules], language)
    shown = []
    for module in modules:
        here = versions.get(module.translation_key, (None, None))[0]
        if here is not None:
            here.translated = True
        else:
            module.translated, module.language = False, default
        shown.append(here or module)
    return shown


def default_language():
    """The default locale's language code, read from the settings (Locale.get_default() costs a query).
    Learning records are kept on this language's pages."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def module_versions(translation_keys, language):
    """{translation key: (the live module in `language` or None, the live one in the default language or
    None)} for the given modules: 1 query however many."""
    default = default_language()
    modules = (
        _model("ModulePage")
        .objects.live()
        .filter(translation_key__in=set(translation_keys))
        .filter(locale__language_code__in={language, default})
        .only(*LISTED_MODULE_FIELDS)
        .annotate(language=F("locale__language_code"))
    )
    versions = {}
    for module in modules:
        here, original = versions.get(module.translation_key, (None, None))
        if module.language == language:
            here = module
        if module.language == default:
            original = module
        versions[module.translation_key] = (here, original)
    return versions


def has_translation(page, language):
    """Whether the page has a live version in `language` (itself included): 1 query."""
    return (
        type(page).objects.live().filter(translation_key=page.translation_key, locale__language_code=language).exists()
    )


def translations_in(model_name, translation_keys, language):
    """{translation key: the live page in `language`} of the given pages that have one: 1 query."""
    model = _model(model_name)
    pages = model.objects.live().filter(translation_key__in=set(translation_keys), locale__language_code=language)
    if model_name == "ModulePage":
        pages = pages.only(*LISTED_MODULE_FIELDS)
    return {page.translation_key: page for page in pages}
