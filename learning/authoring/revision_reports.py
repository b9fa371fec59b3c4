"""Re-read after revision, per module, for the Learning report: how many learners completed a module
before its latest significant revision, and how many of them have opened it since (records/revisions.py).

3 queries whatever the number of modules, learners or revisions: the latest significant note of each
module, the learners who completed before it, and the re-reads of it."""

from django.db.models import Count, OuterRef, Subquery

from learning.catalogue.revision_models import RevisionNote
from learning.records.models import ModuleProgress
from learning.records.revision_models import ModuleReRead


def latest_significant_notes():
    """{module id: its newest significant RevisionNote's (pk, published_at)}: 1 query."""
    latest = {}
    for row in (
        RevisionNote.objects.filter(significant=True)
        .order_by("module_id", "-published_at", "-pk")
        .values("pk", "module_id", "published_at")
    ):
        latest.setdefault(row["module_id"], row)
    return latest


def reread_counts():
    """{module id: {"revised_at", "to_reread", "reread"}} for modules with a significant revision."""
    latest = latest_significant_notes()
    if not latest:
        return {}
    newest = RevisionNote.objects.filter(module=OuterRef("module"), significant=True).order_by("-published_at", "-pk")
    owed = (
        ModuleProgress.objects.filter(module__in=latest, state=ModuleProgress.COMPLETED)
        .filter(completed_at__lt=Subquery(newest.values("published_at")[:1]))
        .values("module_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    owed = {row["module_id"]: row["n"] for row in owed}
    notes = [row["pk"] for row in latest.values()]
    reread = ModuleReRead.objects.filter(note__in=notes).values("module_id").annotate(n=Count("user", distinct=True))
    reread = {row["module_id"]: row["n"] for row in reread.order_by()}
    return {
        module_id: {
            "revised_at": row["published_at"],
            "to_reread": owed.get(module_id, 0),
            "reread": reread.get(module_id, 0),
        }
        for module_id, row in latest.items()
    }


def with_rereads(module_rows):
    """The Learning report's module rows with the re-read columns (None where never significantly revised)."""
    counts = reread_counts()
    for row in module_rows:
        found = counts.get(row["pk"], {})
        row["revised_at"] = found.get("revised_at")
        row["to_reread"] = found.get("to_reread")
        row["reread"] = found.get("reread")
    return module_rows
