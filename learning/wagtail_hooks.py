"""Admin: teams as a snippet with a people chooser (learning.teams.admin_teams); the page editor's script."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from learning.teams.admin_teams import TeamViewSet, person_chooser_viewset

register_snippet(TeamViewSet)


@hooks.register("register_admin_viewset")
def register_person_chooser():
    return person_chooser_viewset


@hooks.register("insert_editor_js")
def first_error_in_view():
    # "Go to the first error" stops short when the error is in another tab (a quiz question).
    return format_html('<script src="{}"></script>', static("js/admin-first-error.js"))


# Editor tools register their own hooks when imported (after the hooks above: E402).
from learning.authoring import admin_gift, admin_links, admin_reports  # noqa: E402, F401
from learning.interop import admin as xapi_admin  # noqa: E402, F401
