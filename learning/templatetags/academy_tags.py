"""Small pieces of markup that long lists repeat (a path's steps, a member's modules): tags rather
than includes, because an include per row cost more than the rest of the row."""

import datetime
import functools

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learning.records import progress
from learning.teams import permissions

register = template.Library()


@register.simple_tag
def has_team_pages(user):
    """Whether to link My learning to /team/ (teams decide who sees team pages; records do not ask)."""
    return permissions.has_team_pages(user)


# How each module state looks; what it is called is progress.STATE_LABELS.
STATE_BADGES = {
    progress.COMPLETED: "badge-done",
    progress.TESTED_OUT: "badge-done",
    progress.STARTED: "badge-progress",
    progress.NOT_STARTED: "badge-elective",
}


@register.simple_tag
def state_badge(state):
    """A module's state (progress.module_states, PathProgress.states) as a badge, named as progress names it."""
    return format_html('<span class="badge {}">{}</span>', STATE_BADGES[state], progress.STATE_LABELS[state])


@register.simple_tag
def status_badge(status):
    """An assigned path's status (progress.assignment_status), named as progress names it."""
    return format_html('<span class="status status-{}">{}</span>', status, progress.STATUS_LABELS[status])


@register.simple_tag
def module_facts(module):
    """Level and minutes, e.g. "Beginner · 25 min"."""
    minutes = _("%(m)s min") % {"m": module.minutes}
    return format_html('<span class="level level-{}">{}</span> · {}', module.level, module.get_level_display(), minutes)


@register.simple_tag
def matrix_row(row, team, with_scores):
    """One member's row of the team matrix. Built here rather than in the template, as Django's
    admin builds its change-list rows: at 50 members the template loop cost more than the rest of
    the page."""
    cells = format_html_join("", "<td>{}</td>", ((_matrix_cell(cell),) for _path, cell in row.columns))
    last = _calendar_day(localtime(row.last_activity).date()) if row.last_activity else "—"
    score = ""
    if with_scores:
        score = format_html("<td>{}</td>", f"{row.quiz_average}%" if row.quiz_average is not None else "—")
    return format_html(
        '<tr><th scope="row"><a href="{}">{}</a></th>{}<td>{}</td>{}</tr>',
        reverse("team_member", args=[team.pk, row.member.pk]),
        row.member.name,
        cells,
        last,
        score,
    )


@functools.lru_cache(maxsize=1024)
def _day_in(language, day, fmt):
    return date_format(day, fmt)


def _day(day, fmt):
    """A localised date; a team shares a handful of due dates and activity days, and Django's
    date formatting costs more than the rest of a cell."""
    return _day_in(get_language(), day, fmt)


# How each language writes a day (this year, another year) with the month short ("M") or spelt out
# ("F"): German puts a point after the day ("1. März"), Polish declines the month ("1 marca", Django's
# "E"; "F" would give the nominative "marzec") and writes short months in lower case ("1 mar").
CALENDAR_FORMATS = {
    "en": {"M": ("j M", "j M Y"), "F": ("j F", "j F Y")},
    "de": {"M": ("j. M", "j. M Y"), "F": ("j. F", "j. F Y")},
    "pl": {"M": ("j b", "j b Y"), "F": ("j E", "j E Y")},
}


def _calendar_day(day, month="M"):
    """The one way the site shows a day: "1 Jan" this year, "1 Jan 2020" in any other year, so a
    date from another year never reads as this year's; month="F" spells the month out. In the active
    language's way (CALENDAR_FORMATS): "1. Januar 2020", "1 stycznia 2020"."""
    formats = CALENDAR_FORMATS.get(get_language(), CALENDAR_FORMATS["en"])[month]
    return _day(day, formats[0] if day.year == timezone.localdate().year else formats[1])


@register.filter
def calendar_day(value, month="M"):
    """{{ date|calendar_day }} or {{ datetime|calendar_day:"F" }} (a datetime is shown in local time)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _calendar_day(value, "F" if month == "F" else "M")


def _matrix_cell(cell):
    if cell is None:
        return format_html('<span class="facts">{}</span>', _("not assigned"))
    result = cell.progress
    due = ""
    if cell.enrolment.due_date:
        due = format_html(" · {} {}", _("due"), _calendar_day(cell.enrolment.due_date))
    return format_html(
        '{}<div class="progress progress-small" aria-hidden="true"><span style="width: {}%"></span></div>'
        '<span class="facts">{}% · {}/{}{}</span>',
        status_badge(cell.status),
        result.percent,
        result.percent,
        result.done,
        result.required,
        due,
    )


@register.simple_tag(takes_context=True)
def path_step(context, step, path):
    """One step of a path as a list item: the module, its facts, required or elective, "not yet translated"
    where a path page in another language links the default-language module (progress.ShownStep), and for
    a signed-in learner its state and whether it is next. A tag for the same reason as matrix_row."""
    is_next = getattr(step, "is_next", False)
    state = getattr(step, "state", None)
    translated = getattr(step, "translated", True)
    required = (
        format_html('<span class="badge">{}</span>', _("Required"))
        if step.required
        else format_html('<span class="badge badge-elective">{}</span>', _("Elective"))
    )
    return format_html(
        '<li class="step{}"{}><a href="{}?{}"{}>{}</a> <span class="facts">{}</span> {}{}{}{}</li>',
        " next" if is_next else "",
        format_html(' {}="{}"', "aria-current", "step") if is_next else "",
        step.module.get_url(context.get("request")),
        urlencode({"path": path.slug}),
        "" if translated else format_html(' lang="{}"', step.language),
        step.module.title,
        module_facts(step.module),
        required,
        "" if translated else format_html(' <span class="badge badge-elective">{}</span>', _("not yet translated")),
        format_html(" {}", state_badge(state)) if state else "",
        format_html(' <span class="badge badge-progress">{}</span>', _("Next step")) if is_next else "",
    )
