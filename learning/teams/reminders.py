"""Reminder e-mails: learners whose unfinished assignments are due soon or overdue (progress.due_status),
and a weekly digest for managers. A Reminder row per e-mail makes any number of runs send each at most once
per assignment per day (and one digest per manager per ISO week)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from learning.records import progress
from learning.records.models import Enrolment
from learning.teams import permissions, reports
from learning.teams.models import Reminder, Team


def _claim(**fields):
    """Record the reminder before sending; False if this period's reminder exists already."""
    try:
        with transaction.atomic():
            Reminder.objects.create(**fields)
        return True
    except IntegrityError:
        return False


def send_due_reminders(*, today=None):
    today = today or timezone.localdate()
    due = (
        Enrolment.objects.filter(
            source=Enrolment.ASSIGNED,
            completed_at__isnull=True,
            due_date__lte=progress.due_soon_until(today),  # the rows whose due_status is not None
            user__reminders_opt_out=False,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "path")
    )
    sent = 0
    for enrolment in due:
        if not _claim(recipient=enrolment.user, kind=Reminder.DUE, enrolment=enrolment, period=today.isoformat()):
            continue
        context = {
            "enrolment": enrolment,
            "overdue": progress.due_status(enrolment.due_date, today) == progress.OVERDUE,
            "base_url": settings.WAGTAILADMIN_BASE_URL,
        }
        send_mail(
            render_to_string("learning/email/due_subject.txt", context).strip(),
            render_to_string("learning/email/due_body.txt", context),
            None,
            [enrolment.user.email],
        )
        sent += 1
    return sent


def send_manager_digests(*, today=None):
    """Each manager gets one e-mail a week with their teams' matrices, as on the team page."""
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    period, sent = f"{year}-W{week:02d}", 0
    teams_by_manager = {}
    for team in Team.objects.prefetch_related("managers"):
        for manager in team.managers.all():
            teams_by_manager.setdefault(manager, []).append(team)
    for manager, teams in teams_by_manager.items():
        if manager.reminders_opt_out or not manager.email or not manager.is_active:
            continue
        if not _claim(recipient=manager, kind=Reminder.DIGEST, enrolment=None, period=period):
            continue
        matrices = [
            reports.team_matrix(team, with_scores=permissions.managers_see_scores(), today=today) for team in teams
        ]
        context = {"manager": manager, "matrices": matrices, "base_url": settings.WAGTAILADMIN_BASE_URL}
        send_mail(
            render_to_string("learning/email/digest_subject.txt", context).strip(),
            render_to_string("learning/email/digest_body.txt", context),
            None,
            [manager.email],
        )
        sent += 1
    return sent
