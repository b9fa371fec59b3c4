"""Admin: teams as a snippet; the page editor's script."""

from django import forms
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from learning.models import Team


class TeamViewSet(SnippetViewSet):
    model = Team
    icon = "group"
    menu_label = _("Teams")
    add_to_admin_menu = True
    list_display = ["name"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel(
            "managers", widget=forms.CheckboxSelectMultiple, help_text=_("They see this team's progress at /team/.")
        ),
        FieldPanel("members", widget=forms.CheckboxSelectMultiple),
    ]


register_snippet(TeamViewSet)


@hooks.register("insert_editor_js")
def first_error_in_view():
    # "Go to the first error" stops short when the error is in another tab (a quiz question).
    return format_html('<script src="{}"></script>', static("js/admin-first-error.js"))


# Editor tools register their own hooks when imported (after the hooks above: E402).
from learning.authoring import admin_gift, admin_links, admin_reports  # noqa: E402, F401
from learning.interop import admin as xapi_admin  # noqa: E402, F401
