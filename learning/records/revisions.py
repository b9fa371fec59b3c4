""" "Updated since you completed it": a module revised significantly after the learner completed it, and the
learner's re-reading of it.

The rule: a completed module is updated for its learner when a significant RevisionNote of the module (in
any language: notes are kept on the default-language module, like every record) was published after the
learner's completion. Opening the module then records a ModuleReRead for each such note; My learning lists
only the updates not re-read yet, the module page shows the notes and the changed blocks for as long as
the learner's completion is older than the revision.
"""

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery

from learning.catalogue import revisions
from learning.catalogue import selectors as catalogue
from learning.catalogue.revision_models import RevisionNote
from learning.records import learner_state
from learning.records.models import ModuleProgress
from learning.records.revision_models import ModuleReRead


def _completed_at(user, module):
    return ModuleProgress.objects.filter(user=user, module=OuterRef("module"), state=ModuleProgress.COMPLETED).values(
        "completed_at"
    )[:1]


def module_updates(*, user, module):
    """The significant notes published on `module` (the default-language page) since the learner completed it,
    newest first, each with `.reread` (the learner opened the module since): 1 query."""
    reread = ModuleReRead.objects.filter(user=user, note=OuterRef("pk"))
    return list(
        RevisionNote.objects.filter(module=module, significant=True)
        .annotate(completed_at=Subquery(_completed_at(user, module)), reread=Exists(reread))
        .filter(completed_at__isnull=False, published_at__gt=F("completed_at"))
        .select_related("page__locale")
        .order_by("-published_at")
    )


def reread_record(*, user, module, notes):
    """Record that the learner has re-read the module after these notes (idempotent: one row per note)."""
    fresh = [note for note in notes if not note.reread]
    if not fresh:
        return
    with transaction.atomic():
        ModuleReRead.objects.bulk_create(
            [ModuleReRead(user=user, module=module, note=note) for note in fresh], ignore_conflicts=True
        )
        learner_state.changed(user)  # bulk_create sends no post_save: My learning's list changes


def module_page_updates(*, user, page, module, state):
    """The module page's "Updated since you completed it": the notes and the body blocks that changed since
    the version the learner completed ({} when nothing did). Opening the page records the re-reading.
    Nothing for a module not completed; 1 query for a completed one without updates; 3 more with one."""
    from learning.records.progress import COMPLETED

    if state != COMPLETED:
        return {}
    notes = module_updates(user=user, module=module)
    if not notes:
        return {}
    reread_record(user=user, module=module, notes=notes)
    changes = revisions.changes_since(page, notes[-1].completed_at)
    return {
        "revision_notes": notes,
        "revision_changes": changes.marked,
        "revision_removed": len(changes.removed),
        "revision_since": notes[-1].completed_at,
    }


def pending_updates(*, user, language=None):
    """My learning: the learner's completed modules revised significantly since they completed them and not
    re-read yet, one row per module (its newest note), linked in `language` where translated. 1 query, 1 more
    in another language when there are some."""
    completed = ModuleProgress.objects.filter(user=user, module=OuterRef("module"), state=ModuleProgress.COMPLETED)
    notes = (
        RevisionNote.objects.filter(significant=True)
        .filter(Exists(completed.filter(completed_at__lt=OuterRef("published_at"))))
        .exclude(Exists(ModuleReRead.objects.filter(user=user, note=OuterRef("pk"))))
        .select_related("module")
        .order_by("-published_at")
    )
    newest = {}
    for note in notes:
        newest.setdefault(note.module_id, note)
    rows = list(newest.values())
    language = language or catalogue.default_language()
    if rows and language != catalogue.default_language():
        shown = catalogue.translations_in("ModulePage", [row.module.translation_key for row in rows], language)
        for row in rows:
            row.shown = shown.get(row.module.translation_key, row.module)
    else:
        for row in rows:
            row.shown = row.module
    return rows
