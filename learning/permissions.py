"""Who may see what: small predicates and selectors that views, exports and the admin share."""
from django.conf import settings
from django.http import Http404

from learning.models import Team

SCORES = "scores"


def teams_visible_to(viewer):
    """Staff see every team; a manager the teams they manage; anyone else none."""
    if not viewer.is_authenticated:
        return Team.objects.none()
    return Team.objects.all() if viewer.is_staff else viewer.managed_teams.all()


def team_for(viewer, team_id):
    """The team, if the viewer may see it; 404 otherwise (never 403: no hint that it exists)."""
    team = teams_visible_to(viewer).filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


def member_of(team, user_id):
    member = team.members.filter(pk=user_id).first()
    if member is None:
        raise Http404
    return member


def managers_see_scores():
    """What works councils agreed managers see: completion only, or completion and quiz scores."""
    return settings.ACADEMY_MANAGER_SEES == SCORES
