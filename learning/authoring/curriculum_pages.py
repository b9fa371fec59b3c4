"""A validated Curriculum -> Wagtail pages, and published pages -> curriculum files.

import_curriculum() runs in one transaction keyed on slugs: an unchanged file writes nothing, and
a page changed in the admin since its last import (edited, unpublished, moved: anything Wagtail
logs) is kept (and reported) unless force=True. The English pages are written first, then their
translations (curriculum_translations), with the same rules; export_curriculum writes both back.
"""

from pathlib import Path

from django.db import transaction
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from learning.authoring import curriculum_translations as translations
from learning.authoring.curriculum_fields import (
    ImportReport,
    dump,
    fill_area,
    fill_module,
    fill_path,
    image_titles,
    kept,
    module_front_matter,
    path_stages,
    publish,
)
from learning.authoring.models import CurriculumSource
from learning.catalogue import bodytext
from learning.catalogue.models import AcademyHomePage, AreaIndexPage, AreaPage, ModulePage, PathIndexPage, PathPage

__all__ = ["ImportReport", "ensure_tree", "export_curriculum", "import_curriculum"]

HOME_INTRO = (
    "<p>Onboarding for e-commerce teams: one learning module for each field an e-commerce manager works "
    "across, arranged into paths for each role, with quizzes and curated readings.</p>"
)


def ensure_tree():
    """The home page and the two index pages, created once and made the default site's root."""
    locale = Locale.get_default()
    home = AcademyHomePage.objects.filter(locale=locale).first()
    if home is None:
        home = AcademyHomePage(title="E-Commerce Academy", slug="academy", intro=HOME_INTRO, locale=locale)
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        previous = site.root_page if site else None
        if site:
            site.root_page = home
            site.save()
        else:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="E-Commerce Academy"
            )
        # Wagtail's own "Welcome" placeholder page has no place in the academy.
        if (
            previous
            and previous.specific_class is Page
            and previous.depth == 2
            and not previous.get_children().exists()
        ):
            previous.delete()
    indexes = []
    for model, title, slug in ((PathIndexPage, "Learning paths", "paths"), (AreaIndexPage, "Knowledge areas", "areas")):
        index = model.objects.child_of(home).first()
        if index is None:
            index = model(title=title, slug=slug, locale=locale)
            home.add_child(instance=index)
            index.save_revision().publish()
        indexes.append(index)
    return home, *indexes


def _upsert(model, parent, source, fill, report, *, force, existing=None):
    page = existing if existing is not None else model.objects.child_of(parent).filter(slug=source.slug).first()
    if page is None:
        page = model(slug=source.slug, locale=parent.locale)
        fill(page)
        parent.add_child(instance=page)
        report.created.append(source.file)
    else:
        if kept(
            page, CurriculumSource.objects.filter(page=page).first(), source.file, source.digest, report, force=force
        ):
            return page
        if page.get_parent().pk != parent.pk:
            page.move(parent, pos="last-child")
            page.refresh_from_db()
        fill(page)
        report.updated.append(source.file)
    publish(page, source.file, source.digest, report)
    return page


def import_curriculum(curriculum, *, force=False):
    """Write the curriculum to pages in one transaction; any exception leaves the database as it was."""
    report = ImportReport()
    # Wagtail re-indexes a page's references after every save of the page and of each of its child
    # rows (a path's steps, twice each), which made importing a path quadratic in its length and
    # 1,000 modules take 14 minutes: the index is written once per page, at the end, instead.
    with transaction.atomic(), disable_reference_index_auto_update():
        images = image_titles(curriculum)
        home, path_index, area_index = ensure_tree()
        areas = {}
        for source in curriculum.areas:
            areas[source.slug] = _upsert(AreaPage, area_index, source, fill_area(source), report, force=force)
        existing = {page.slug: page for page in ModulePage.objects.descendant_of(area_index)}
        modules = {}
        for source in curriculum.modules:
            modules[source.slug] = _upsert(
                ModulePage,
                areas[source.area],
                source,
                fill_module(source, images),
                report,
                force=force,
                existing=existing.get(source.slug),
            )
        paths = {}
        for source in curriculum.paths:
            paths[source.slug] = _upsert(PathPage, path_index, source, fill_path(source, modules), report, force=force)
        english = {"home": home, "paths": path_index, "areas": area_index, "area": areas, "module": modules}
        translations.import_translations(
            curriculum.translations, {**english, "path": paths}, images, report, force=force
        )
        for page in report.written:
            ReferenceIndex.create_or_update_for_object(page)
    return report


def export_curriculum(target):
    """Write every published page of the default locale to `target` in the curriculum format, and their
    published translations under target/locales/<lang>/. Returns (modules, translated files) written."""
    target, locale, count, files = Path(target), Locale.get_default(), 0, {}
    for folder in ("areas", "modules", "paths"):
        (target / folder).mkdir(parents=True, exist_ok=True)
    for area in AreaPage.objects.live().filter(locale=locale).order_by("order", "title"):
        files[area.translation_key] = f"areas/{area.slug}.yaml"
        (target / files[area.translation_key]).write_text(
            dump({"title": area.title, "summary": area.summary, "order": area.order}), encoding="utf-8"
        )
        (target / "modules" / area.slug).mkdir(exist_ok=True)
        for module in ModulePage.objects.live().child_of(area).prefetch_related("readings", "tags"):
            files[module.translation_key] = f"modules/{area.slug}/{module.slug}.md"
            text = f"---\n{dump(module_front_matter(module))}---\n{bodytext.render(module.body)}"
            (target / files[module.translation_key]).write_text(text, encoding="utf-8")
            count += 1
    for path in PathPage.objects.live().filter(locale=locale).order_by("order", "title"):
        data = {
            "title": path.title,
            "role": path.role,
            "audience": path.audience,
            "outcomes": path.outcome_list,
            "order": path.order,
            "stages": path_stages(path),
        }
        files[path.translation_key] = f"paths/{path.slug}.yaml"
        (target / files[path.translation_key]).write_text(dump(data), encoding="utf-8")
    return count, translations.export_translations(target, files)
