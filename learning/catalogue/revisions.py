"""What changed when a module was published: the editor's change note, kept per published revision, and
the body blocks that differ from an earlier published version.

Where the note is written: two fields of the module itself (ModulePage.change_note, .significant_change,
on the Settings tab), so they travel inside the revision through drafts and the approval workflow and are
read when that revision is published, by whoever publishes it. The admin form starts them blank on every
edit (ModulePageForm), so a note belongs to the one revision it was written for; the curriculum importer
fills them from a file's front matter (change_note, significant). Wagtail's page_published signal copies
them into a RevisionNote (record_revision_note), the history the learners' pages read.
"""

import json

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import PageLogEntry, Revision
from wagtail.signals import page_published

from learning.catalogue import selectors
from learning.catalogue.revision_diff import BodyChanges, body_changes
from learning.catalogue.revision_models import RevisionNote

REVISION_FIELDS = ("change_note", "significant_change")
CHANGE_NOTE_HELP = _(
    "What changed in this revision, in a sentence or two. Learners who completed an earlier version see it "
    "if the revision is significant."
)
SIGNIFICANT_HELP = _(
    "Tick when learners who completed the module should read it again (a law, a rule or a figure changed)."
)


class ModulePageForm(WagtailAdminPageForm):
    """Every edit starts with an empty change note: a note is about one revision, never the next."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["change_note"] = ""
        self.initial["significant_change"] = False


def _default_language_module(page):
    default = selectors.default_language()
    if page.locale.language_code == default:
        return page
    original = type(page).objects.filter(translation_key=page.translation_key, locale__language_code=default).first()
    return original or page


def record_revision_note(sender, instance, revision=None, **kwargs):
    """page_published: keep the published revision's note (once per revision, however often it is published)."""
    note = (getattr(instance, "change_note", "") or "").strip()
    significant = bool(getattr(instance, "significant_change", False))
    if revision is None or not (note or significant):
        return
    RevisionNote.objects.get_or_create(
        revision=revision,
        defaults={
            "page": instance,
            "module": _default_language_module(instance),
            "significant": significant,
            "note": note,
            "published_at": instance.last_published_at or timezone.now(),
            "author": revision.user,
        },
    )


def connect(module_page):
    """Called when the app is ready, with the ModulePage model (the page models import this module's form,
    so it does not import them back)."""
    page_published.connect(record_revision_note, sender=module_page, dispatch_uid="academy-revision-note")


def _body_of(revision_id):
    body = Revision.objects.filter(pk=revision_id).values_list("content", flat=True).first()
    body = (body or {}).get("body") or "[]"
    return json.loads(body) if isinstance(body, str) else body


def changes_since(page, moment):
    """The body blocks of `page` (as published now) that differ from the version that was live at `moment`:
    BodyChanges, empty when the page was not published then. 2 queries."""
    published_then = (
        PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.publish", timestamp__lte=moment)
        .exclude(revision_id=None)
        .order_by("-timestamp", "-pk")
        .values_list("revision_id", flat=True)
        .first()
    )
    if published_then is None or published_then == page.live_revision_id:
        return BodyChanges()
    return body_changes(_body_of(published_then), list(page.body.raw_data))
