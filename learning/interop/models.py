"""The xAPI outbox and the learners' opaque LRS ids. Fields and constraints only; written by outbox.py,
sent by sender.py."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.records.db import get_or_create_once


class LearnerAccount(models.Model):
    """The learner's name in the LRS (the actor's account name): random, stored, so it says nothing about them
    and survives a new SECRET_KEY or a changed username or e-mail address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    name = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    @classmethod
    def name_for(cls, user):
        return get_or_create_once(cls, user=user)[0].name


class OutboxStatement(models.Model):
    """One xAPI statement waiting for, failing at or done with the LRS. Sent in id order (the order written)."""

    WAITING, FAILING, SENT, REJECTED = "waiting", "failing", "sent", "rejected"
    STATES = [(WAITING, _("Waiting")), (FAILING, _("Failing")), (SENT, _("Sent")), (REJECTED, _("Rejected"))]
    PENDING = (WAITING, FAILING)

    statement_id = models.UUIDField(unique=True)
    # Deleting a learner deletes their unsent statements with them (what was sent is the LRS's).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    verb = models.CharField(max_length=32)
    statement = models.JSONField()
    state = models.CharField(max_length=16, choices=STATES, default=WAITING)
    attempts = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "id"], name="outbox_state_order")]
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
