"""What changed in a published module: one note per published revision that carried one.

Written by learning/catalogue/revisions.py when a module is published (Wagtail's page_published signal),
from the revision's own change note and significance (ModulePage.change_note, .significant_change), so the
admin's publish (with or without the approval workflow) and load_curriculum record it the same way.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RevisionNote(models.Model):
    # The page that was published (any language) and its default-language module, which the learners'
    # records name (records/progress.py canonical_page), so "updated since you completed it" is one lookup.
    page = models.ForeignKey("learning.ModulePage", related_name="revision_notes", on_delete=models.CASCADE)
    module = models.ForeignKey("learning.ModulePage", related_name="+", on_delete=models.CASCADE)
    revision = models.OneToOneField("wagtailcore.Revision", related_name="+", on_delete=models.CASCADE)
    significant = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    published_at = models.DateTimeField()
    # Who wrote the revision (in the approval workflow, the editor who submitted it).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        indexes = [models.Index(fields=["module", "significant", "published_at"])]
        verbose_name = _("revision note")

    def __str__(self):
        return f"{self.page}: {self.note[:40]}"
