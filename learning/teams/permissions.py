"""Who may see what: small predicates and selectors that views, exports, invitations, template tags and
the admin share. The only place that decides who manages or sees a team; nothing else reads
`managed_teams` or the "view all teams" permission.

Team data (members, progress, timelines, exports) is people data: a team's managers see their team,
and only superusers and users granted `learning.view_all_teams` see every team. Being staff is not
enough: editors work on content and see content reports, not people.
"""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Q

from learning.accounts.models import User
from learning.teams.models import Team

SCORES = "scores"
VIEW_ALL_TEAMS = "learning.view_all_teams"


def _granted_all_teams():
    """Holding the permission directly or through a group: what Django's ModelBackend.has_perm checks,
    as a condition on users so it joins other conditions in one query."""
    app_label, codename = VIEW_ALL_TEAMS.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return Q(user_permissions__in=permission) | Q(groups__permissions__in=permission)


def _active_user_where(user, condition):
    return User.objects.filter(pk=user.pk, is_active=True).filter(condition).exists()


def sees_all_teams(user):
    """Superusers (no query) and users granted "view all teams" (1 query)."""
    if not user.is_authenticated:
        return False
    return (user.is_active and user.is_superuser) or _active_user_where(user, _granted_all_teams())


def has_team_pages(user):
    """Whether /team/ is for `user`: they see every team or manage one. 1 query (none for superusers),
    so My learning can ask on every visit."""
    if not user.is_authenticated:
        return False
    return (user.is_active and user.is_superuser) or _active_user_where(
        user, Q(managed_teams__isnull=False) | _granted_all_teams()
    )


def teams_visible_to(viewer):
    """Every team for sees_all_teams(); a manager the teams they manage; anyone else none."""
    if not viewer.is_authenticated:
        return Team.objects.none()
    return Team.objects.all() if sees_all_teams(viewer) else viewer.managed_teams.all()


def may_see_team(viewer, team):
    """The one rule for a single team: its managers and whoever sees every team. 1 query for the
    team's manager, 2 for anyone else (none for a superuser who is not its manager)."""
    if not viewer.is_authenticated or team is None:
        return False
    return viewer.managed_teams.filter(pk=team.pk).exists() or sees_all_teams(viewer)


def people_visible_to(viewer):
    """The people whose team data `viewer` may see: everyone for sees_all_teams(); a manager the members
    of the teams they manage; anyone else nobody. 1 query to decide (none for a superuser); lazy."""
    if not viewer.is_authenticated:
        return User.objects.none()
    if sees_all_teams(viewer):
        return User.objects.all()
    return User.objects.filter(teams__managers=viewer).distinct()


def team_for(viewer, team_id):
    """The team, if the viewer may see it; None otherwise (the views answer 404, never 403: no hint
    that it exists).
    1 query for the team's manager: their own teams are looked at before the permission."""
    team = viewer.managed_teams.filter(pk=team_id).first() if viewer.is_authenticated else None
    if team is None and sees_all_teams(viewer):
        team = Team.objects.filter(pk=team_id).first()
    return team


def member_of(team, user_id):
    """The team's member with this id, or None."""
    return team.members.filter(pk=user_id).first()


def members_of(team, user_ids):
    """The team's members with these ids, or None when any id is not one of them (another team's
    member, a stranger, a made-up id): the views answer 404 and change nothing. 1 query."""
    user_ids = set(user_ids)
    members = list(team.members.filter(pk__in=user_ids).order_by("display_name", "username"))
    return members if len(members) == len(user_ids) else None


def managers_see_scores():
    """What works councils agreed managers see: completion only, or completion and quiz scores."""
    return settings.ACADEMY_MANAGER_SEES == SCORES
