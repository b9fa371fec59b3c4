"""A learner re-read a module after a significant revision: one row per (learner, revision note).

Written by learning/records/revisions.py when a learner who completed an earlier version opens the
module; read by My learning, the module page and the editor reports ("re-read after revision")."""

from django.conf import settings
from django.db import models


class ModuleReRead(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="module_rereads", on_delete=models.CASCADE)
    # The default-language module, as every record (records/progress.py canonical_page).
    module = models.ForeignKey("learning.ModulePage", related_name="rereads", on_delete=models.CASCADE)
    note = models.ForeignKey("learning.RevisionNote", related_name="rereads", on_delete=models.CASCADE)
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "note"], name="one_reread_per_revision")]
