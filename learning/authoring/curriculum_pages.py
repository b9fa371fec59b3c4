"""A validated Curriculum -> Wagtail pages, and published pages -> curriculum files.

import_curriculum() runs in one transaction keyed on slugs: an unchanged file writes nothing, and
a page changed in the admin since its last import (edited, unpublished, moved: anything Wagtail
logs) is kept (and reported) unless force=True.
"""

from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

import yaml
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageLogEntry, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from learning.authoring.curriculum import CurriculumError, Problem
from learning.authoring.models import CurriculumSource
from learning.catalogue import bodytext, quiz
from learning.catalogue.models import (
    AcademyHomePage,
    AreaIndexPage,
    AreaPage,
    ModulePage,
    PathIndexPage,
    PathPage,
    PathStep,
    ReadingLink,
)

HOME_INTRO = (
    "<p>Onboarding for e-commerce teams: one learning module for each field an e-commerce manager works "
    "across, arranged into paths for each role, with quizzes and curated readings.</p>"
)


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # changed in the admin since the last import
    unpublished: list = field(default_factory=list)  # those of the skipped that are not live
    written: list = field(default_factory=list, repr=False)  # the pages saved, for the reference index

    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} kept as edited in the admin"
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
        record = CurriculumSource.objects.filter(page=page).first()
        if not force and _changed_in_admin(page, record):
            report.skipped.append(source.file)
            if not page.live:
                report.unpublished.append(source.file)
            return page
        if record and record.content_hash == source.digest and not force:
            report.unchanged.append(source.file)
            return page
        if page.get_parent().pk != parent.pk:
            page.move(parent, pos="last-child")
            page.refresh_from_db()
        fill(page)
        report.updated.append(source.file)
    revision = page.save_revision()
    revision.publish()
    report.written.append(page)
    CurriculumSource.objects.update_or_create(
        page=page, defaults={"file": source.file, "content_hash": source.digest, "revision_id": revision.pk}
    )
    return page


def _changed_in_admin(page, record):
    """Whether anyone touched `page` since load_curriculum last published it (at most 1 query).

    A new revision is an edit. Unpublishing writes no revision, so a page that is not live counts
    too. Anything else Wagtail logs (a move, a lock, a privacy setting, a workflow step) comes after
    the importer's own last log entry, which is the publish of the revision it recorded: Wagtail
    logs a rename, then the publish, and the importer writes nothing to the log after it.
    """
    if record is None or page.latest_revision_id != record.revision_id or not page.live:
        return True
    last = PageLogEntry.objects.filter(page_id=page.pk).order_by("-pk").values_list("action", "revision_id").first()
    return last is not None and last != ("wagtail.publish", record.revision_id)


def _fill_area(source):
    def fill(page):
        page.title, page.summary = source.data["title"], source.data["summary"]
        page.order = source.data.get("order") or 0

    return fill


def _default(model, name):
    """The model's default for a field a file may leave out: what the admin would fill in too."""
    return model._meta.get_field(name).default


def _fill_module(source, images):
    data = source.data

    def fill(page):
        page.title, page.summary = data["title"], data["summary"]
        page.objectives = "\n".join(data["objectives"])
        page.minutes, page.level = data["minutes"], data["level"]
        page.last_reviewed = data.get("last_reviewed")
        page.pass_mark = data.get("pass_mark") or _default(ModulePage, "pass_mark")
        body = []
        for block in source.body:
            if block["type"] == "image":
                value = dict(block["value"])
                value["image"] = images[value.pop("image_title")]
                block = {**block, "value": value}
            body.append(block)
        page.body = body
        page.quiz = quiz.stream_data_from_file(data.get("quiz") or [], seed=source.slug)
        page.readings = [
            ReadingLink(
                title=r["title"],
                url=r["url"],
                publisher=r["publisher"],
                kind=r.get("kind") or _default(ReadingLink, "kind"),
                language=r.get("language") or _default(ReadingLink, "language"),
                minutes=r.get("minutes") or _default(ReadingLink, "minutes"),
                why=r["why"],
                sort_order=i,
            )
            for i, r in enumerate(data.get("readings") or [])
        ]
        page.tags.set([str(tag) for tag in data.get("tags") or []])

    return fill


def _fill_path(source, modules):
    data = source.data

    def fill(page):
        page.title, page.role, page.audience = data["title"], data["role"], data["audience"]
        page.outcomes = "\n".join(data["outcomes"])
        page.order = data.get("order") or 0
        steps = []
        for stage in data["stages"]:
            for step in stage["modules"]:
                slug, required = (step, True) if isinstance(step, str) else (step["slug"], step.get("required", True))
                steps.append(
                    PathStep(module=modules[slug], stage=stage["label"], required=required, sort_order=len(steps))
                )
        page.steps = steps

    return fill


def _image_titles(curriculum):
    wanted = {
        (source.file, block["value"]["image_title"])
        for source in curriculum.modules
        for block in source.body
        if block["type"] == "image"
    }
    found = dict(get_image_model().objects.filter(title__in={t for _, t in wanted}).values_list("title", "pk"))
    missing = [
        Problem(file, 1, "body", f"no image titled '{title}' in the image library")
        for file, title in wanted
        if title not in found
    ]
    if missing:
        raise CurriculumError(missing)
    return found


def import_curriculum(curriculum, *, force=False):
    """Write the curriculum to pages in one transaction; any exception leaves the database as it was."""
    report = ImportReport()
    # Wagtail re-indexes a page's references after every save of the page and of each of its child
    # rows (a path's steps, twice each), which made importing a path quadratic in its length and
    # 1,000 modules take 14 minutes: the index is written once per page, at the end, instead.
    with transaction.atomic(), disable_reference_index_auto_update():
        images = _image_titles(curriculum)
        _home, path_index, area_index = ensure_tree()
        areas = {}
        for source in curriculum.areas:
            areas[source.slug] = _upsert(AreaPage, area_index, source, _fill_area(source), report, force=force)
        existing = {page.slug: page for page in ModulePage.objects.descendant_of(area_index)}
        modules = {}
        for source in curriculum.modules:
            modules[source.slug] = _upsert(
                ModulePage,
                areas[source.area],
                source,
                _fill_module(source, images),
                report,
                force=force,
                existing=existing.get(source.slug),
            )
        for source in curriculum.paths:
            _upsert(PathPage, path_index, source, _fill_path(source, modules), report, force=force)
        for page in report.written:
            ReferenceIndex.create_or_update_for_object(page)
    return report


def _dump(data):
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _module_front_matter(module):
    front = {
        "title": module.title,
        "summary": module.summary,
        "minutes": module.minutes,
        "level": module.level,
    }
    if module.last_reviewed:
        front["last_reviewed"] = module.last_reviewed
    tags = sorted(tag.name for tag in module.tags.all())
    if tags:
        front["tags"] = tags
    front["objectives"] = module.objective_list
    front["pass_mark"] = module.pass_mark
    readings = [
        {
            "title": r.title,
            "url": r.url,
            "publisher": r.publisher,
            "kind": r.kind,
            "language": r.language,
            "minutes": r.minutes,
            "why": r.why,
        }
        for r in module.readings.all()
    ]
    if readings:
        front["readings"] = readings
    questions = [quiz.file_question(question, defaults=False) for question in quiz.questions_from_quiz(module.quiz)]
    if questions:
        front["quiz"] = questions
    return front


def export_curriculum(target):
    """Write every published page of the default locale to `target` in the curriculum format."""
    target, locale, count = Path(target), Locale.get_default(), 0
    for folder in ("areas", "modules", "paths"):
        (target / folder).mkdir(parents=True, exist_ok=True)
    for area in AreaPage.objects.live().filter(locale=locale).order_by("order", "title"):
        (target / "areas" / f"{area.slug}.yaml").write_text(
            _dump({"title": area.title, "summary": area.summary, "order": area.order}), encoding="utf-8"
        )
        folder = target / "modules" / area.slug
        folder.mkdir(exist_ok=True)
        for module in ModulePage.objects.live().child_of(area).prefetch_related("readings", "tags"):
            text = f"---\n{_dump(_module_front_matter(module))}---\n{bodytext.render(module.body)}"
            (folder / f"{module.slug}.md").write_text(text, encoding="utf-8")
            count += 1
    for path in PathPage.objects.live().filter(locale=locale).order_by("order", "title"):
        steps = path.steps.select_related("module").order_by("sort_order")
        stages = [
            {
                "label": label,
                "modules": [s.module.slug if s.required else {"slug": s.module.slug, "required": False} for s in group],
            }
            for label, group in groupby(steps, key=lambda step: step.stage)
        ]
        data = {
            "title": path.title,
            "role": path.role,
            "audience": path.audience,
            "outcomes": path.outcome_list,
            "order": path.order,
            "stages": stages,
        }
        (target / "paths" / f"{path.slug}.yaml").write_text(_dump(data), encoding="utf-8")
    return count
