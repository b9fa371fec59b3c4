"""The team page's rows (learning/teams/dashboard.py chose them): a tag per row rather than an include,
as academy_tags.matrix_row explains. Each row carries its tick box and its remind button (both
belong to the page's action form) and labels its cells with their path, so on a phone the row
becomes a card of that member's paths (.table-cards)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from learning.templatetags.academy_tags import _calendar_day, status_badge

register = template.Library()


@register.simple_tag
def path_title(path):
    """A path's title in the page's language (dashboard.paths_in_language), lang="en" where untranslated."""
    if path.shown_lang:
        return format_html('<span lang="{}">{}</span>', path.shown_lang, path.shown_title)
    return path.shown_title


def _cell(path, cell):
    if cell is None:
        return format_html(
            '<td class="unassigned" data-label="{}"><span class="facts">{}</span></td>',
            path.shown_title,
            _("not assigned"),
        )
    result = cell.progress
    due = format_html(" · {} {}", _("due"), _calendar_day(cell.enrolment.due_date)) if cell.enrolment.due_date else ""
    return format_html(
        '<td data-label="{}">{}<div class="progress progress-small" aria-hidden="true">'
        '<span style="width: {}%"></span></div>'
        '<span class="facts">{}% · {}/{}{}</span></td>',
        path.shown_title,
        status_badge(cell.status),
        result.percent,
        result.percent,
        result.done,
        result.required,
        due,
    )


@register.simple_tag
def team_row(row, team, with_scores):
    """One member's row: tick box, name (their page), remind button, a cell per shown path, last
    activity and, where agreed, the quiz average."""
    member = row.member
    cells = format_html_join("", "{}", ((_cell(path, cell),) for path, cell in row.columns))
    last = _calendar_day(localtime(row.last_activity).date()) if row.last_activity else "—"
    score = ""
    if with_scores:
        average = f"{row.quiz_average}%" if row.quiz_average is not None else "—"
        score = format_html('<td data-label="{}">{}</td>', _("Quiz average"), average)
    return format_html(
        '<tr><th scope="row" class="member-cell">'
        '<input type="checkbox" name="members" value="{}" id="pick-{}">'
        '<label for="pick-{}" class="visually-hidden">{}</label> '
        '<a href="{}" class="member-link">{}</a> '
        '<button type="submit" name="only" value="{}" formaction="{}" formnovalidate class="link-button small">{}'
        '<span class="visually-hidden"> {}</span></button></th>'
        '{}<td data-label="{}">{}</td>{}</tr>',
        member.pk,
        member.pk,
        member.pk,
        _("Select %(name)s") % {"name": member.name},
        reverse("team_member", args=[team.pk, member.pk]),
        member.name,
        member.pk,
        reverse("team_remind", args=[team.pk]),
        _("Remind now"),
        member.name,
        cells,
        _("Last activity"),
        last,
        score,
    )
