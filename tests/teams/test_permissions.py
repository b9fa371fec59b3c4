"""Who may see a team is one rule (learning.teams.permissions): the team pages, inviting into a team and
sending an invitation again all follow it."""

import pytest
from django.contrib.auth.models import Permission

from learning.models import Team
from learning.teams import invitations, permissions


@pytest.fixture
def people(make_user):
    shop, market = Team.objects.create(name="Shop team"), Team.objects.create(name="Marketplace team")
    users = {
        "shop manager": make_user("mira"),
        "market manager": make_user("otto"),
        "granted view all teams": make_user("vera"),
        "superuser": make_user("root", is_staff=True, is_superuser=True),
        "staff": make_user("sam", is_staff=True),
        "shop member": make_user("lena"),
    }
    shop.managers.add(users["shop manager"])
    market.managers.add(users["market manager"])
    shop.members.add(users["shop member"])
    users["granted view all teams"].user_permissions.add(Permission.objects.get(codename="view_all_teams"))
    invited = make_user("noah")
    invited.set_unusable_password()
    invited.save()
    shop.members.add(invited)
    return {"shop": shop, "users": users, "invited": invited}


SEES_SHOP = {"shop manager", "granted view all teams", "superuser"}


@pytest.mark.parametrize(
    "role", ["shop manager", "market manager", "granted view all teams", "superuser", "staff", "shop member"]
)
def test_the_team_pages_and_invitations_follow_one_rule(people, role):
    user, shop = people["users"][role], people["shop"]
    sees_shop = role in SEES_SHOP

    assert permissions.may_see_team(user, shop) == sees_shop
    assert (permissions.team_for(user, shop.pk) is not None) == sees_shop
    assert invitations.invitation_allowed(inviter=user, team=shop) == sees_shop
    assert (people["invited"] in invitations.invitations_resendable_by(user=user)) == sees_shop
    assert (people["users"]["shop member"] in permissions.people_visible_to(user)) == sees_shop


def test_only_who_sees_every_team_invites_into_no_team(people):
    users = people["users"]
    allowed = {role for role, user in users.items() if invitations.invitation_allowed(inviter=user, team=None)}
    assert allowed == {"granted view all teams", "superuser"}
