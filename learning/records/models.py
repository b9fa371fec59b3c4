"""Learner records: what each learner did (enrolments, module progress, reading visits, quiz attempts and
answers, certificates, broken-link reports). Fields and constraints only.

Written through learning/records/progress.py (module progress, enrolment completion, certificates) and
services.py (the rest; the demo builder back-dates some rows). Read by selectors.py (the learner's
pages), learning/teams/reports.py and reminders.py (managers), learning/authoring/editor_reports.py
(editors). The rules over them live in progress.py: a module without a ModuleProgress row is not
started (progress.NOT_STARTED), and the state labels come from ModuleProgress.STATES there. Every record
names the default-language page (progress.canonical_page), whichever language the learner used.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    SELF, ASSIGNED = "self", "assigned"
    SOURCES = [(SELF, _("Self-enrolled")), (ASSIGNED, _("Assigned"))]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="enrolments", on_delete=models.CASCADE)
    # Always the path's page in the default language, whichever language the learner enrolled in.
    path = models.ForeignKey("learning.PathPage", related_name="enrolments", on_delete=models.CASCADE)
    source = models.CharField(max_length=16, choices=SOURCES, default=SELF)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    due_date = models.DateField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="one_enrolment_per_path")]

    def __str__(self):
        return f"{self.user} in {self.path}"


class ModuleProgress(models.Model):
    STARTED, COMPLETED = "started", "completed"
    STATES = [(STARTED, _("In progress")), (COMPLETED, _("Done"))]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="module_progress", on_delete=models.CASCADE)
    # Always the module's page in the default locale, so progress follows the learner across languages.
    module = models.ForeignKey("learning.ModulePage", related_name="progress", on_delete=models.CASCADE)
    state = models.CharField(max_length=16, choices=STATES, default=STARTED)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(auto_now=True)
    # Completed by passing its quiz at ACADEMY_TEST_OUT_MARK before studying it (progress.module_test_out):
    # complete like any other, and labelled "Tested out" (progress.TESTED_OUT).
    tested_out = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="one_progress_per_module")]
        verbose_name_plural = _("module progress")


class ReadingVisit(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="reading_visits", on_delete=models.CASCADE)
    link = models.ForeignKey("learning.ReadingLink", related_name="visits", on_delete=models.CASCADE)
    first_visit_at = models.DateTimeField(auto_now_add=True)
    last_visit_at = models.DateTimeField(auto_now=True)
    visits = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "link"], name="one_visit_row_per_reading")]


class QuizAttempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="quiz_attempts", on_delete=models.CASCADE)
    # Always the module's page in the default language, whichever language the quiz was answered in (a
    # translation has the same question keys and choice ids, so the answers join across languages).
    module = models.ForeignKey("learning.ModulePage", related_name="quiz_attempts", on_delete=models.CASCADE)
    # One token per rendered quiz form: a replayed or doubled submission finds it used.
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    score = models.PositiveSmallIntegerField(default=0, help_text=_("Percent of questions answered right."))
    pass_mark = models.PositiveSmallIntegerField(help_text=_("The module's pass mark when the attempt was graded."))
    passed = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["user", "module"])]


class QuizAnswer(models.Model):
    attempt = models.ForeignKey(QuizAttempt, related_name="answers", on_delete=models.CASCADE)
    question_key = models.CharField(max_length=64)
    choices = models.JSONField(default=list, help_text=_("Ids of the choices the learner picked."))
    correct = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question_key"], name="one_answer_per_question")]


def new_certificate_id():
    return secrets.token_urlsafe(16)


class Certificate(models.Model):
    enrolment = models.OneToOneField(Enrolment, related_name="certificate", on_delete=models.CASCADE)
    uid = models.CharField(max_length=32, unique=True, default=new_certificate_id, editable=False)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked = models.BooleanField(default=False)


class BrokenLinkReport(models.Model):
    """A learner's report that a curated reading no longer works; shown in the content health report."""

    link = models.ForeignKey("learning.ReadingLink", related_name="reports", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)
