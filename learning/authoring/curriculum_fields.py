"""Between a curriculum file's fields and a page's: filling a page from a file (fill_area, fill_module,
fill_path), publishing it with a record of what was imported (publish, kept), and a page's fields in
the file format again (dump, module_front_matter, path_stages). English pages and their translations
are written with the same functions (curriculum_pages, curriculum_translations).
"""

from dataclasses import dataclass, field
from itertools import groupby

import yaml
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry
from wagtail.search import index

from learning.authoring.curriculum_files import CurriculumError, Problem
from learning.authoring.models import CurriculumSource
from learning.catalogue import quiz
from learning.catalogue.models import ModulePage, PathStep, ReadingLink


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


def kept(page, record, file, digest, report, *, force):
    """Whether the import leaves `page` as it is, and says so in the report: changed in the admin since
    the importer last published it (unless force), or imported from this very content before."""
    if not force and changed_in_admin(page, record):
        report.skipped.append(file)
        if not page.live:
            report.unpublished.append(file)
        return True
    if record and record.content_hash == digest and not force:
        report.unchanged.append(file)
        return True
    return False


def publish(page, file, digest, report):
    """Publish `page` as filled, and record the revision and the content it came from."""
    revision = page.save_revision()
    revision.publish()
    # Wagtail indexes a page when it is saved, before modelcluster writes its tags and readings; index
    # it again now, or a translation is found by the English tags copy_for_translation gave it.
    index.insert_or_update_object(page)
    report.written.append(page)
    CurriculumSource.objects.update_or_create(
        page=page, defaults={"file": file, "content_hash": digest, "revision_id": revision.pk}
    )
    return page


def changed_in_admin(page, record):
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


def fill_area(source):
    def fill(page):
        page.title, page.summary = source.data["title"], source.data["summary"]
        page.order = source.data.get("order") or 0

    return fill


def default(model, name):
    """The model's default for a field a file may leave out: what the admin would fill in too."""
    return model._meta.get_field(name).default


def fill_module(source, images):
    data = source.data

    def fill(page):
        page.title, page.summary = data["title"], data["summary"]
        page.objectives = "\n".join(data["objectives"])
        page.minutes, page.level = data["minutes"], data["level"]
        page.last_reviewed = data.get("last_reviewed")
        page.pass_mark = data.get("pass_mark") or default(ModulePage, "pass_mark")
        # Kept with the revision this import publishes, never exported: a note is about one revision.
        page.change_note, page.significant_change = data.get("change_note") or "", bool(data.get("significant"))
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
                kind=r.get("kind") or default(ReadingLink, "kind"),
                language=r.get("language") or default(ReadingLink, "language"),
                minutes=r.get("minutes") or default(ReadingLink, "minutes"),
                why=r["why"],
                sort_order=i,
            )
            for i, r in enumerate(data.get("readings") or [])
        ]
        page.tags.set([str(tag) for tag in data.get("tags") or []])

    return fill


def fill_path(source, modules):
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


def image_titles(curriculum):
    """{title: image id} for the images the module files and their translations name; CurriculumError
    when one is not in the image library."""
    modules = curriculum.modules + [t.source for t in curriculum.translations if t.kind == "module"]
    wanted = {
        (source.file, block["value"]["image_title"])
        for source in modules
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


def dump(data):
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def module_front_matter(module):
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


def path_stages(path):
    """A path's steps as the file's stages: consecutive steps with one label form a stage."""
    steps = path.steps.select_related("module").order_by("sort_order")
    return [
        {
            "label": label,
            "modules": [s.module.slug if s.required else {"slug": s.module.slug, "required": False} for s in group],
        }
        for label, group in groupby(steps, key=lambda step: step.stage)
    ]
