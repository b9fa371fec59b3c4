"""Translated curriculum files (locales/<lang>/) -> Wagtail translations of the English pages, and back.

Each translation becomes the Wagtail translation of its English page: the same translation_key and
slug, in the language's Locale, created with Wagtail's translation API (copy_for_translation, which
also makes a translated parent a page needs, as an alias until the parent's own file is imported),
then filled from the file and published. The English pages' rules hold: an unchanged file writes
nothing, and a page changed in the admin since the importer published it is kept unless force.

A translation takes from its English page what must be the same in every language:
- a module's quiz block ids, position by position (question i and its choice j get the English ids),
  so an answer given on a translated page is stored with the ids of the English one and the answers of
  every language join in grading, item analysis and exports;
- a path's modules: the steps point to the English modules, which progress is kept on (the pages show
  the learner's language where a translation exists);
- the order of areas and paths.
These are recorded with the file's hash, so a change to them rewrites the translation.
"""

import hashlib
import html
import json
import re

from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.models import Locale

from learning.authoring.curriculum_fields import (
    ImportReport,
    dump,
    fill_area,
    fill_module,
    fill_path,
    kept,
    module_front_matter,
    path_stages,
    publish,
)
from learning.authoring.curriculum_files import CurriculumError, Problem
from learning.authoring.curriculum_locales import FOLDER
from learning.authoring.models import CurriculumSource
from learning.catalogue import bodytext, quiz
from learning.catalogue.models import AcademyHomePage, AreaIndexPage, AreaPage, ModulePage, PathIndexPage, PathPage

SEARCH_FIELDS = ["seo_title", "search_description"]


def import_translations(translations, english, images, report, *, force):
    """Write `translations` (curriculum_locales.Translation, home files first) as translations of the
    `english` pages: {"home", "paths", "areas": page; "area", "module", "path": {slug: page}}."""
    locales = {}
    for translation in translations:
        if translation.language not in locales:
            locales[translation.language] = Locale.objects.get_or_create(language_code=translation.language)[0]
        locale = locales[translation.language]
        if translation.kind == "home":
            _import_home(translation, english, locale, report, force=force)
            continue
        page = english[translation.kind][translation.slug]
        digest, fill = _content(translation, page, english, images)
        _upsert(page, locale, translation.source.file, digest, fill, report, force=force)


def _content(translation, english_page, english, images):
    """(what the import records as the content, fill(page)) for an area, module or path translation."""
    source = translation.source
    if translation.kind == "module":
        ids = _quiz_ids(source, english_page)
        fill = _with_quiz_ids(source, fill_module(source, images), ids)
        return _digest(source, ids), fill
    fill = fill_area(source) if translation.kind == "area" else fill_path(source, english["module"])
    return _digest(source, english_page.order), _with_order(fill, english_page.order)


def _digest(source, inherited):
    return hashlib.sha256(f"{source.digest}:{json.dumps(inherited)}".encode()).hexdigest()


def _with_order(fill, order):
    def filled(page):
        fill(page)
        page.order = order

    return filled


def _quiz_ids(source, english_page):
    """[(question block id, [choice block ids])] of the English page as published. The files were checked
    against each other; the English page may still differ if it was changed in the admin and kept."""
    blocks = [(b.id, b.value["key"], [item.id for item in b.value["choices"].bound_blocks]) for b in english_page.quiz]
    questions = source.data.get("quiz") or []
    shape = [(q["key"], len(q["choices"])) for q in questions]
    if shape != [(key, len(choices)) for _id, key, choices in blocks]:
        reason = (
            "does not match the quiz of the English page as published (changed in the admin since the import): "
            "bring the English file in line with it, or import with --force"
        )
        raise CurriculumError([Problem(source.file, source.line(("quiz",)), "quiz", reason)])
    return [[block_id, choices] for block_id, _key, choices in blocks]


def _with_quiz_ids(source, fill, ids):
    def filled(page):
        fill(page)
        data = quiz.stream_data_from_file(source.data.get("quiz") or [], seed=source.slug)
        for block, (block_id, choice_ids) in zip(data, ids, strict=True):
            block["id"] = block_id
            for item, choice_id in zip(block["value"]["choices"], choice_ids, strict=True):
                item["id"] = choice_id
        page.quiz = data

    return filled


def _import_home(translation, english, locale, report, *, force):
    """home.yaml titles the translated home page and its two index pages; the file is reported once."""
    data, file, digest = translation.source.data, translation.source.file, translation.source.digest
    intro = "<p>" + html.escape(data["intro"].strip(), quote=False) + "</p>"

    def fill_home(page):
        page.title, page.intro = data["title"], intro

    _upsert(english["home"], locale, file, digest, fill_home, report, force=force)
    indexes = ImportReport()
    for key, name in (("paths", "paths_title"), ("areas", "areas_title")):
        _upsert(english[key], locale, file, digest, _titled(data[name]), indexes, force=force)
    report.written += indexes.written
    for kind in ("skipped", "unpublished"):
        getattr(report, kind).extend(f for f in dict.fromkeys(getattr(indexes, kind)) if f not in getattr(report, kind))


def _titled(title):
    def fill(page):
        page.title = title

    return fill


def _upsert(english_page, locale, file, digest, fill, report, *, force):
    page = english_page.get_translation_or_none(locale)
    if page is None:
        # The search fields stay blank, as on an English page the importer made: an English
        # description would be wrong in another language.
        page = english_page.copy_for_translation(locale, copy_parents=True, exclude_fields=SEARCH_FIELDS)
        report.created.append(file)
    elif page.alias_of_id:  # made by copy_for_translation for a child's sake: nobody's edit
        page = ConvertAliasPageAction(page.specific).execute(skip_permission_checks=True)
        report.created.append(file)
    else:
        page = page.specific
        if kept(page, CurriculumSource.objects.filter(page=page).first(), file, digest, report, force=force):
            return page
        _keep_under_translated_parent(page, english_page, locale)
        report.updated.append(file)
    page = page.specific
    fill(page)
    if page.depth > 2:  # a translated home page is a sibling of the English one: Wagtail gives it its own slug
        page.slug = english_page.slug
    return publish(page, file, digest, report)


def _keep_under_translated_parent(page, english_page, locale):
    """A translation moves with its English page (from one area to another, say)."""
    parent = english_page.get_parent()
    wanted = parent.get_translation_or_none(locale) if not parent.is_root() else None
    if wanted is not None and page.get_parent().pk != wanted.pk:
        page.move(wanted, pos="last-child")
        page.refresh_from_db()


# --- pages -> files ----------------------------------------------------------------------------------


def export_translations(target, files):
    """Write the published translations of the exported English pages under target/locales/<lang>/, in the
    format load_curriculum reads. `files`: {translation_key: the English page's file, relative to target}.
    Aliases are left out: they are English pages standing in for a translation. Returns the files written."""
    written = 0
    for locale in Locale.objects.exclude(pk=Locale.get_default().pk).order_by("language_code"):
        folder = target / FOLDER / locale.language_code
        home = AcademyHomePage.objects.live().filter(locale=locale, alias_of__isnull=True).first()
        if home is not None:
            written += _write(folder / "home.yaml", dump(_home_data(home)))
        pages = {"area": AreaPage, "module": ModulePage, "path": PathPage}
        for kind, model in pages.items():
            translated = model.objects.live().filter(locale=locale, alias_of__isnull=True)
            for page in translated.filter(translation_key__in=files).order_by("path"):
                written += _write(folder / files[page.translation_key], _file_text(kind, page))
    return written


def _home_data(home):
    titles = {
        name: model.objects.child_of(home).values_list("title", flat=True).first() or ""
        for name, model in (("paths_title", PathIndexPage), ("areas_title", AreaIndexPage))
    }
    intro = html.unescape(re.sub(r"<[^>]*>", "", re.sub(r"</p>\s*<p[^>]*>", " ", home.intro)))
    return {"title": home.title, "intro": intro.strip(), **titles}


def _file_text(kind, page):
    if kind == "area":
        return dump({"title": page.title, "summary": page.summary})
    if kind == "module":
        return f"---\n{dump(module_front_matter(page))}---\n{bodytext.render(page.body)}"
    data = {"title": page.title, "role": page.role, "audience": page.audience, "outcomes": page.outcome_list}
    return dump({**data, "stages": path_stages(page)})


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return 1
