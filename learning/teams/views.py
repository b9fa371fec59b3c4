"""Managers: their teams, the team page (dashboard.py), one member's detail, the exports and the area
view; the actions on members are in action_views.py. Every view finds the team through
permissions.team_for, and _found makes other teams' URLs a 404."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from learning.records import progress
from learning.teams import dashboard, exports, heatmap, page_cache, permissions, reports
from learning.teams.forms import AssignmentForm, DashboardFilterForm


def _found(team_or_member):
    """Another team's (or a stranger's) URL is a 404, never a 403: no hint that it exists."""
    if team_or_member is None:
        raise Http404
    return team_or_member


@login_required
def team_list(request):
    if not permissions.has_team_pages(request.user):
        raise Http404
    teams = permissions.teams_visible_to(request.user).annotate(member_count=Count("members", distinct=True))
    return render(request, "learning/team_list.html", {"teams": teams})


def selection_of(request):
    """The filters, sort and page in the URL (forms.DashboardFilterForm)."""
    return DashboardFilterForm(request.GET).selection()


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
def team_detail(request, team_id, form=None, status=200):
    team = _found(permissions.team_for(request.user, team_id))
    if form is not None:  # an action's form with its errors: for this response only
        return _team_page(request, team, form, status)
    return page_cache.cached(request, team, lambda: _team_page(request, team, None, status))


def _team_page(request, team, form, status):
    board = dashboard.dashboard(
        team, selection_of(request), with_scores=permissions.managers_see_scores(), language=get_language()
    )
    counts = board.selected.counts
    return render(
        request,
        "learning/team.html",
        {
            "team": team,
            "board": board,
            "matrix": board.matrix,
            "filters": DashboardFilterForm(request.GET, auto_id="filter-%s"),  # the action bar has a path too
            "team_query": _query_without(request, "page"),  # pages and exports keep the filters and sort
            "status_query": _query_without(request, "page", "status"),
            "paths_query": _query_without(request, "page", "all_paths"),
            "statuses": [(s, progress.STATUS_LABELS[s], counts[s]) for s in progress.STATUS_ORDER],
            "form": form or AssignmentForm(team=team),
            "back": request.get_full_path(),
        },
        status=status,
    )


@login_required
def team_member(request, team_id, user_id):
    team = _found(permissions.team_for(request.user, team_id))
    member = _found(permissions.member_of(team, user_id))
    detail = reports.member_detail(member, with_scores=permissions.managers_see_scores())
    dashboard.title_paths([enrolment.path for enrolment, *_rest in detail.paths], get_language())
    return render(request, "learning/team_member.html", {"team": team, "detail": detail})


@login_required
def my_manager_view(request):
    """Exactly what a manager sees of the signed-in learner, under the current privacy setting."""
    detail = reports.member_detail(request.user, with_scores=permissions.managers_see_scores())
    dashboard.title_paths([enrolment.path for enrolment, *_rest in detail.paths], get_language())
    return render(request, "learning/team_member.html", {"team": None, "detail": detail, "self_view": True})


@login_required
def team_export(request, team_id, table, fmt):
    """The selection on screen (filters and sort, every page) as CSV (streamed) or XLSX."""
    team = _found(permissions.team_for(request.user, team_id))
    if table not in exports.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    export = exports.Export(
        team, selection_of(request), with_scores=permissions.managers_see_scores(), language=get_language()
    )
    if fmt == "csv":
        response = StreamingHttpResponse(export.csv_lines(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="team-{team.pk}-{table}.csv"'
        return response
    response = HttpResponse(export.xlsx(), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="team-{team.pk}.xlsx"'
    return response


@login_required
def team_areas(request, team_id):
    """Role x knowledge area: how much of each area the selection completed (heatmap.py)."""
    team = _found(permissions.team_for(request.user, team_id))
    table = heatmap.role_area_table(team, selection_of(request), language=get_language())
    return render(
        request,
        "learning/team_areas.html",
        {"team": team, "table": table, "team_query": _query_without(request, "page")},
    )
