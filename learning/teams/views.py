"""Managers: their teams, the progress matrix, one member's detail, assignments and exports.
Every view finds the team through permissions.team_for, and _found makes other teams' URLs a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learning.catalogue.models import PathPage
from learning.records import services
from learning.records.models import Enrolment
from learning.teams import permissions, reports
from learning.teams.forms import AssignmentForm, AssignmentRefForm


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


def _matrix(request, team):
    sort = "name" if request.GET.get("sort") == "name" else "status"
    return reports.team_matrix(team, with_scores=permissions.managers_see_scores(), sort=sort)


@login_required
def team_detail(request, team_id, form=None):
    team = _found(permissions.team_for(request.user, team_id))
    matrix = _matrix(request, team)
    return render(
        request,
        "learning/team.html",
        {
            "team": team,
            "matrix": matrix,
            "sort": request.GET.get("sort", "status"),
            "form": form or AssignmentForm(team=team, members=matrix.members),
        },
    )


@login_required
@require_POST
def team_assign(request, team_id):
    team = _found(permissions.team_for(request.user, team_id))
    form = AssignmentForm(request.POST, team=team)
    if not form.is_valid():
        response = team_detail(request, team_id, form=form)
        response.status_code = 400
        return response
    members = form.chosen_members()
    services.assignment_create(
        manager=request.user,
        members=members,
        path=form.cleaned_data["path"],
        due_date=form.cleaned_data["due_date"],
        due_in_days=form.cleaned_data["due_in_days"],
    )
    messages.success(
        request,
        _("Assigned “%(path)s” to %(count)d member(s).")
        % {"path": form.cleaned_data["path"].title, "count": len(members)},
    )
    return redirect("team_detail", team_id=team.pk)


def _assignment_to_remove(team, data):
    """The member and path named in `data`: 400 for ids that are not ids, 404 for a non-member or an
    unknown path."""
    ref = AssignmentRefForm(data)
    if not ref.is_valid():
        raise BadRequest
    member = _found(permissions.member_of(team, ref.cleaned_data["member"]))
    path = PathPage.objects.filter(pk=ref.cleaned_data["path"]).first()
    if path is None:
        raise Http404
    return member, path


@login_required
@require_http_methods(["GET", "POST"])
def team_unassign(request, team_id):
    """GET asks "Remove <path> from <member>?" (a path that is not assigned is a 404); the POST from
    that page removes the assignment (again: nothing changes) and goes back to the member."""
    team = _found(permissions.team_for(request.user, team_id))
    if request.method == "GET":
        member, path = _assignment_to_remove(team, request.GET)
        enrolment = Enrolment.objects.filter(user=member, path=path, source=Enrolment.ASSIGNED).first()
        if enrolment is None:
            raise Http404
        return render(
            request,
            "learning/team_unassign.html",
            {"team": team, "member": member, "path": path, "enrolment": enrolment},
        )
    member, path = _assignment_to_remove(team, request.POST)
    if services.assignment_remove(member=member, path=path):
        messages.success(
            request,
            _("Unassigned “%(path)s” from %(name)s. Their progress is kept.")
            % {"path": path.title, "name": member.name},
        )
    return redirect("team_member", team_id=team.pk, user_id=member.pk)


@login_required
def team_member(request, team_id, user_id):
    team = _found(permissions.team_for(request.user, team_id))
    member = _found(permissions.member_of(team, user_id))
    detail = reports.member_detail(member, with_scores=permissions.managers_see_scores())
    return render(request, "learning/team_member.html", {"team": team, "detail": detail})


@login_required
def my_manager_view(request):
    """Exactly what a manager sees of the signed-in learner, under the current privacy setting."""
    detail = reports.member_detail(request.user, with_scores=permissions.managers_see_scores())
    return render(request, "learning/team_member.html", {"team": None, "detail": detail, "self_view": True})


@login_required
def team_export(request, team_id, table, fmt):
    team = _found(permissions.team_for(request.user, team_id))
    if table not in reports.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    matrix = _matrix(request, team)
    name = f"team-{team.pk}-{table}"
    if fmt == "csv":
        response = HttpResponse(reports.export_csv(matrix, table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(
            reports.export_xlsx(matrix),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="team-{team.pk}.xlsx"'
    return response
