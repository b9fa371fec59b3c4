"""What a manager does to members from the team page (ticked rows, or one row's button) and the
member page: assign a path with a due date, remind now, unassign after a confirmation page. Every
action finds the team through permissions.team_for and the members through permissions.members_of:
another team's member, a stranger or a made-up id is a 404 and nothing changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learning.catalogue.models import PathPage
from learning.records import progress, services
from learning.records.models import Enrolment
from learning.teams import member_facts, permissions, reminders, reports
from learning.teams.forms import AssignmentForm, AssignmentRefForm, SelectionActionForm
from learning.teams.views import _found, team_detail


def _back(request, team):
    """Back to the team page as it was (filters, sort, page): a local URL of this team only."""
    back = request.POST.get("back", "")
    home = reverse("team_detail", args=[team.pk])
    if back.startswith(home) and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(home)


def _members(team, ids):
    return _found(permissions.members_of(team, ids))


def _names(members):
    return ", ".join(member.name for member in members)


@login_required
@require_POST
def team_assign(request, team_id):
    team = _found(permissions.team_for(request.user, team_id))
    form = AssignmentForm(request.POST, team=team)
    if not form.is_valid():
        return team_detail(request, team_id, form=form, status=400)
    ids = form.member_ids()
    members = list(team.members.all()) if ids is None else _members(team, ids)
    path = form.cleaned_data["path"]
    services.assignment_create(
        manager=request.user,
        members=members,
        path=path,
        due_date=form.cleaned_data["due_date"],
        due_in_days=form.cleaned_data["due_in_days"],
    )
    member_facts.team_changed(team)
    messages.success(
        request, _("Assigned “%(path)s” to %(count)d member(s).") % {"path": path.title, "count": len(members)}
    )
    return _back(request, team)


def _most_urgent(team, members, path):
    """{member: their enrolment to remind of}: the chosen path's, else their most urgent unfinished
    assigned path (as the team page ranks it). None for a member with nothing open to remind of."""
    matrix = reports.team_matrix(team, with_scores=False, members=members)
    chosen = {}
    for row in matrix.rows:
        cells = [c for pid, c in row.cells.items() if (path is None or pid == path.pk) and c.status != progress.DONE]
        cells.sort(key=lambda cell: progress.STATUS_ORDER.index(cell.status))
        chosen[row.member] = cells[0].enrolment if cells else None
    return chosen


@login_required
@require_POST
def team_remind(request, team_id):
    """One mail per member now (reminders.remind_now): about the chosen path, else their most urgent
    open one. Not twice the same day: the page says who had theirs already."""
    team = _found(permissions.team_for(request.user, team_id))
    form = SelectionActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Tick at least one member."))
        return _back(request, team)
    members = _members(team, form.member_ids())
    outcome = {True: [], False: [], None: []}
    for member, enrolment in _most_urgent(team, members, form.cleaned_data["path"]).items():
        outcome[None if enrolment is None else reminders.remind_now(enrolment=enrolment, sender=request.user)].append(
            member
        )
    if outcome[True]:
        messages.success(request, _("Reminder sent to %(names)s.") % {"names": _names(outcome[True])})
    if outcome[False]:
        messages.info(
            request,
            _("Already reminded today, not sent again: %(names)s.") % {"names": _names(outcome[False])},
        )
    if outcome[None]:
        messages.warning(
            request,
            _("No reminder for %(names)s: nothing open to remind of, no e-mail address or reminders turned off.")
            % {"names": _names(outcome[None])},
        )
    return _back(request, team)


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


def _unassign_selection(request, team):
    """The team page's ticked members: a confirmation page naming them first, then (confirmed) the removal."""
    form = SelectionActionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["path"] is None:
        messages.error(request, _("Tick at least one member and choose the path to remove."))
        return _back(request, team)
    members, path = _members(team, form.member_ids()), form.cleaned_data["path"]
    assigned = set(
        Enrolment.objects.filter(user__in=members, path=path, source=Enrolment.ASSIGNED).values_list(
            "user_id", flat=True
        )
    )
    members = [member for member in members if member.pk in assigned]
    if request.POST.get("confirmed") != "yes":
        context = {"team": team, "members": members, "path": path, "back": request.POST.get("back", "")}
        return render(request, "learning/team_unassign_many.html", context)
    for member in members:
        services.assignment_remove(member=member, path=path)
    member_facts.team_changed(team)
    messages.success(
        request,
        _("Unassigned “%(path)s” from %(count)d member(s). Their progress is kept.")
        % {"path": path.title, "count": len(members)},
    )
    return _back(request, team)


@login_required
@require_http_methods(["GET", "POST"])
def team_unassign(request, team_id):
    """GET asks "Remove <path> from <member>?" (a path that is not assigned is a 404); the POST from
    that page removes the assignment (again: nothing changes) and goes back to the member. Ticked
    members from the team page get a confirmation page naming them all, then go back to the team."""
    team = _found(permissions.team_for(request.user, team_id))
    if request.method == "POST" and ("members" in request.POST or "only" in request.POST):
        return _unassign_selection(request, team)
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
        member_facts.team_changed(team)
        messages.success(
            request,
            _("Unassigned “%(path)s” from %(name)s. Their progress is kept.")
            % {"path": path.title, "name": member.name},
        )
    return redirect("team_member", team_id=team.pk, user_id=member.pk)
