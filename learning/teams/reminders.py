"""Reminder e-mails: learners whose unfinished assignments are due soon or overdue (progress.due_status),
and a weekly digest for managers. A Reminder row per e-mail makes any number of runs send each at most once
per assignment per day (and one digest per manager per ISO week).

Each e-mail is written in its recipient's language (their profile's preferred_language): the words,
the dates (calendar_day), the paths' titles where a translation exists, and links under that language's
prefix (/de/learn/)."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from learning.accounts import languages
from learning.catalogue.models import PathPage
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


def paths_in_languages(paths, codes):
    """{(path pk, language code): the path's live version in that language, else the path itself}:
    1 query for any number of paths and languages."""
    paths = {path.translation_key: path for path in paths}
    found = {(path.pk, code): path for path in paths.values() for code in codes}
    translations = (
        PathPage.objects.live()
        .filter(translation_key__in=paths, locale__language_code__in=set(codes))
        .select_related("locale")
    )
    for translated in translations:
        found[paths[translated.translation_key].pk, translated.locale.language_code] = translated
    return found


def _send(template, context, *, language, recipient):
    """Render learning/email/<template>_subject.txt and _body.txt in `language` and send them."""
    with translation.override(language):
        subject = render_to_string(f"learning/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"learning/email/{template}_body.txt", context)
    send_mail(subject, body, None, [recipient.email])


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
    due = list(due)
    titled = paths_in_languages({e.path for e in due}, {languages.preferred_language(e.user) for e in due})
    sent = 0
    for enrolment in due:
        if not _claim(recipient=enrolment.user, kind=Reminder.DUE, enrolment=enrolment, period=today.isoformat()):
            continue
        language = languages.preferred_language(enrolment.user)
        context = {
            "enrolment": enrolment,
            "path": titled[enrolment.path_id, language],
            "overdue": progress.due_status(enrolment.due_date, today) == progress.OVERDUE,
            "base_url": languages.site_url(language),
        }
        _send("due", context, language=language, recipient=enrolment.user)
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
        language = languages.preferred_language(manager)
        matrices = [
            reports.team_matrix(team, with_scores=permissions.managers_see_scores(), today=today) for team in teams
        ]
        _title_paths(matrices, language)
        context = {"manager": manager, "matrices": matrices, "base_url": languages.site_url(language)}
        _send("digest", context, language=language, recipient=manager)
        sent += 1
    return sent


def _title_paths(matrices, language):
    """Name the digest's paths in the manager's language: each summary shows the path's translation
    where there is one (the matrices count on the default-language paths, as every record does)."""
    summaries = [summary for matrix in matrices for summary in matrix.summary]
    titled = paths_in_languages({summary.path for summary in summaries}, {language})
    for summary in summaries:
        summary.path = titled[summary.path.pk, language]
