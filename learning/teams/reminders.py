"""Reminder e-mails. A learner hears about an unfinished assigned path once when its due date is near
(progress.due_status: DUE_SOON_DAYS before it), once when it passes, then at most once a week while it
stays overdue; nothing once the path is done or unassigned. A manager gets a weekly digest naming who
is overdue or due soon in each team they manage. Each mail says why it came and how to stop it.

A Reminder row is claimed before each mail (unique per recipient, kind, enrolment and period), so any
number of runs, on any number of hosts, send each mail once: "near" and "passed" are keyed on the due
date (a new due date is reminded of again), "weekly" and "manual" on the day, the digest on the ISO week.

Each e-mail is written in its recipient's language (their profile's preferred_language): the words,
the dates (calendar_day), the paths' titles where a translation exists, and links under that language's
prefix (/de/learn/)."""

import datetime
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from learning.accounts import languages
from learning.catalogue.models import PathPage
from learning.records import progress
from learning.records.models import Enrolment
from learning.teams import permissions, reports
from learning.teams.models import Reminder, Team

# Every mail to a learner about one assignment; any of them in the last week holds back the weekly one.
LEARNER_KINDS = [Reminder.DUE_SOON, Reminder.OVERDUE, Reminder.WEEKLY, Reminder.MANUAL, Reminder.DUE]
WEEKLY = datetime.timedelta(days=7)
# A digest names this many people per list and team, then links to the team page filtered to the rest.
DIGEST_NAMES = 20
# The profile field a mail's "turn these off" link lands on.
OPT_OUT_ANCHOR = "#id_reminders_opt_out"


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


def may_remind(user):
    """Whether reminder mails may go to `user`: active, with an address, not opted out in their profile."""
    return user.is_active and bool(user.email) and not user.reminders_opt_out


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def reminder_due(enrolment, *, today, sent, last_mail_day):
    """Which mail the schedule owes this assignment today, or None: Reminder.DUE_SOON once per due date
    when it is near, Reminder.OVERDUE once per due date when it has passed, then Reminder.WEEKLY when the
    last mail about it (of any kind, a manager's included) is a week old. `sent` holds the (kind, period)
    pairs already claimed for the enrolment. Whether the path is done or assigned is the caller's."""
    status = progress.due_status(enrolment.due_date, today)
    if status is None:
        return None
    milestone = Reminder.DUE_SOON if status == progress.DUE_SOON else Reminder.OVERDUE
    if (milestone, enrolment.due_date.isoformat()) not in sent:
        return milestone
    if status == progress.OVERDUE and (last_mail_day is None or today - last_mail_day >= WEEKLY):
        return Reminder.WEEKLY
    return None


def _reminders_sent(enrolments, *, today):
    """{enrolment id: ({(kind, period)} of its near/passed mails, the day of its last mail in the week
    before `today` or None)}: 1 query, however long the assignments have been overdue."""
    found = {enrolment.pk: (set(), None) for enrolment in enrolments}
    week_ago = _start_of(today - WEEKLY + datetime.timedelta(days=1))
    rows = Reminder.objects.filter(enrolment__in=list(found), kind__in=LEARNER_KINDS).filter(
        Q(kind__in=[Reminder.DUE_SOON, Reminder.OVERDUE]) | Q(sent_at__gte=week_ago)
    )
    for enrolment_id, kind, period, sent_at in rows.values_list("enrolment_id", "kind", "period", "sent_at"):
        sent, last = found[enrolment_id]
        sent.add((kind, period))
        if sent_at >= week_ago:
            day = timezone.localdate(sent_at)
            found[enrolment_id] = (sent, max(filter(None, [last, day])))
    return found


def _period(kind, enrolment, today):
    """Near and passed are keyed on the due date (once per due date), weekly and manual on the day."""
    return enrolment.due_date.isoformat() if kind in (Reminder.DUE_SOON, Reminder.OVERDUE) else today.isoformat()


def send_reminder(enrolment, *, kind, today=None, sender=None, path=None):
    """Claim and send one mail to the enrolment's learner: `kind` is one of LEARNER_KINDS' schedule kinds
    or Reminder.MANUAL (with `sender`, the manager who asked for it). False, and nothing sent, when this
    period's mail of that kind went out already (a manager's at most once a day). The opt-out is the
    caller's to check (may_remind). `path` is the path in the learner's language, when the caller has it."""
    today = today or timezone.localdate()
    learner = enrolment.user
    if not _claim(recipient=learner, kind=kind, enrolment=enrolment, period=_period(kind, enrolment, today)):
        return False
    language = languages.preferred_language(learner)
    if path is None:
        path = paths_in_languages([enrolment.path], {language})[enrolment.path_id, language]
    status = progress.due_status(enrolment.due_date, today)
    base_url = languages.site_url(language)
    context = {
        "kind": kind,
        "enrolment": enrolment,
        "path": path,
        "overdue": status == progress.OVERDUE,
        "days_overdue": (today - enrolment.due_date).days if status == progress.OVERDUE else 0,
        "sender": sender,
        "base_url": base_url,
        "opt_out_url": f"{base_url}/accounts/profile/{OPT_OUT_ANCHOR}",
    }
    _send("due", context, language=language, recipient=learner)
    return True


def send_due_reminders(*, today=None):
    """The learners' schedule for `today` (the local date; the week between weekly mails is counted from
    the mails' sent_at, so pass the real day). 3 queries and one insert per mail, whatever the number of
    assignments: the assignments due soon or overdue, the mails they had, the paths in the learners'
    languages."""
    today = today or timezone.localdate()
    due = list(
        Enrolment.objects.filter(
            source=Enrolment.ASSIGNED,  # unassigning makes the enrolment the learner's own: no more mails
            completed_at__isnull=True,
            due_date__lte=progress.due_soon_until(today),  # the rows whose due_status is not None
            user__reminders_opt_out=False,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "path", "assigned_by")
    )
    history = _reminders_sent(due, today=today)
    owed = [(e, reminder_due(e, today=today, sent=history[e.pk][0], last_mail_day=history[e.pk][1])) for e in due]
    owed = [(enrolment, kind) for enrolment, kind in owed if kind]
    titled = paths_in_languages(
        {e.path for e, _kind in owed}, {languages.preferred_language(e.user) for e, _kind in owed}
    )
    sent = 0
    for enrolment, kind in owed:
        path = titled[enrolment.path_id, languages.preferred_language(enrolment.user)]
        sent += send_reminder(enrolment, kind=kind, today=today, path=path)
    return sent


def send_manager_digests(*, today=None):
    """Each manager gets one e-mail a week naming, per team they manage, who is overdue or due soon and
    with which path, with the teams' path totals as on the team page."""
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    period, sent = f"{year}-W{week:02d}", 0
    teams_by_manager = {}
    for team in Team.objects.prefetch_related("managers"):
        for manager in team.managers.all():
            teams_by_manager.setdefault(manager, []).append(team)
    for manager, teams in teams_by_manager.items():
        if not may_remind(manager):
            continue
        if not _claim(recipient=manager, kind=Reminder.DIGEST, enrolment=None, period=period):
            continue
        language = languages.preferred_language(manager)
        matrices = [
            reports.team_matrix(team, with_scores=permissions.managers_see_scores(), today=today) for team in teams
        ]
        titled = _title_paths(matrices, language)
        base_url = languages.site_url(language)
        context = {
            "manager": manager,
            "teams": [DigestTeam.of(matrix, titled, base_url) for matrix in matrices],
            "base_url": base_url,
            "opt_out_url": f"{base_url}/accounts/profile/{OPT_OUT_ANCHOR}",
        }
        _send("digest", context, language=language, recipient=manager)
        sent += 1
    return sent


@dataclass
class DigestTeam:
    """One team in a manager's digest: its matrix, and who needs attention as (member, path, due date),
    earliest due date first, at most DIGEST_NAMES each; `*_more` counts the rest.

    The digest names the members of the teams its recipient manages: the same people, paths and states
    their team page shows them (README, "Reminders and digests")."""

    matrix: reports.Matrix
    url: str
    overdue: list
    overdue_more: int
    due_soon: list
    due_soon_more: int

    @property
    def overdue_url(self):
        return f"{self.url}?status={progress.OVERDUE}"

    @property
    def due_soon_url(self):
        return f"{self.url}?status={progress.DUE_SOON}"

    @classmethod
    def of(cls, matrix, titled, base_url):
        overdue, due_soon = _attention(matrix, progress.OVERDUE, titled), _attention(matrix, progress.DUE_SOON, titled)
        return cls(
            matrix=matrix,
            url=f"{base_url}/team/{matrix.team.pk}/",
            overdue=overdue[:DIGEST_NAMES],
            overdue_more=max(len(overdue) - DIGEST_NAMES, 0),
            due_soon=due_soon[:DIGEST_NAMES],
            due_soon_more=max(len(due_soon) - DIGEST_NAMES, 0),
        )


def _attention(matrix, status, titled):
    """[(member, path in the manager's language, due date)] of the matrix's assignments in `status`."""
    found = [
        (row.member, titled.get(path.pk, path), cell.enrolment.due_date)
        for row, path, cell in matrix.cells()
        if cell.status == status
    ]
    return sorted(found, key=lambda item: (item[2], item[0].name.lower()))


def _title_paths(matrices, language):
    """Name the digest's paths in the manager's language: each summary shows the path's translation
    where there is one (the matrices count on the default-language paths, as every record does)."""
    summaries = [summary for matrix in matrices for summary in matrix.summary]
    titled = paths_in_languages({summary.path for summary in summaries}, {language})
    for summary in summaries:
        summary.path = titled[summary.path.pk, language]
    return {pk: path for (pk, _language), path in titled.items()}


def remind_now(*, enrolment, sender):
    """The team page's "remind now": one mail about this assignment from `sender`, at most once a day
    (Reminder.MANUAL, claimed for the day like every reminder). True when sent, False when one went
    out today already (nothing sent), None when the learner takes no reminder mails (may_remind)."""
    if not may_remind(enrolment.user):
        return None
    return send_reminder(enrolment, kind=Reminder.MANUAL, sender=sender)
