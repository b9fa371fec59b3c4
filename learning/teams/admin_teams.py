"""Teams in Wagtail's admin (Snippets > Teams): a team's managers and members are rows chosen one or many at
a time through a searchable, paged user chooser (Wagtail's ChooserViewSet and MultipleChooserPanel), so the
edit form holds the team's own people, never a list of every user.

Who edits teams: superusers and whoever an admin grants the Team model's add or change permission
(Settings > Groups). The chooser lists people's names and addresses, which is people data (see
learning.teams.permissions): it answers only those same users, never an editor who merely reaches the
admin. Managers see their teams at /team/; they have no admin access unless an admin gives it."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, MultipleChooserPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from learning.accounts.models import User
from learning.teams.models import Team

TEAM_EDITING = ("learning.add_team", "learning.change_team")


def may_edit_teams(user):
    """Superusers and holders of the Team model's add or change permission (directly or by group)."""
    return user.is_authenticated and user.is_active and any(user.has_perm(perm) for perm in TEAM_EDITING)


class PersonSearchForm(BaseFilterForm):
    """The chooser's search: any part of a name, username or e-mail address, in the database (the user
    table is not in Wagtail's search index)."""

    q = forms.CharField(
        label=_("Search term"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name, username or e-mail")}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching, self.search_query = True, query
        return objects.filter(
            Q(display_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(username__icontains=query)
            | Q(email__icontains=query)
        )


class TeamEditorsOnly:
    """Every chooser view answers 403 to anyone who may not edit teams."""

    def dispatch(self, request, *args, **kwargs):
        if not may_edit_teams(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PersonListing(TeamEditorsOnly):
    """Active people by name, a page at a time, with username and address to tell namesakes apart."""

    filter_form_class = PersonSearchForm
    ordering = ["display_name", "last_name", "first_name", "username"]

    def get_object_list(self):
        return User.objects.filter(is_active=True).only(
            "pk", "username", "display_name", "first_name", "last_name", "email"
        )

    @property
    def columns(self):
        return super().columns + [Column("username", label=_("Username")), Column("email", label=_("E-mail"))]


class PersonChooseView(PersonListing, chooser_views.ChooseView):
    pass


class PersonChooseResultsView(PersonListing, chooser_views.ChooseResultsView):
    pass


class PersonChosenView(TeamEditorsOnly, chooser_views.ChosenView):
    pass


class PersonChosenMultipleView(TeamEditorsOnly, chooser_views.ChosenMultipleView):
    pass


class PersonCreateView(TeamEditorsOnly, chooser_views.CreateView):
    pass


class PersonChooserViewSet(ChooserViewSet):
    model = User
    icon = "user"
    choose_one_text = _("Choose people")
    page_title = _("Choose people")
    choose_another_text = _("Choose another person")
    per_page = 20
    # Only the team form uses it: Wagtail would otherwise put it on every admin form's user field.
    register_widget = False
    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    chosen_view_class = PersonChosenView
    chosen_multiple_view_class = PersonChosenMultipleView
    create_view_class = PersonCreateView


person_chooser_viewset = PersonChooserViewSet("team_person_chooser", url_prefix="team-people")


def _people_panel(relation, *, heading, label, help_text=""):
    return MultipleChooserPanel(
        relation,
        chooser_field_name="user",
        heading=heading,
        label=label,
        help_text=help_text,
        panels=[FieldPanel("user", widget=person_chooser_viewset.widget_class)],
    )


class TeamViewSet(SnippetViewSet):
    model = Team
    icon = "group"
    menu_label = _("Teams")
    add_to_admin_menu = True
    list_display = ["name"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        _people_panel(
            "manager_rows",
            heading=_("Managers"),
            label=_("Manager"),
            help_text=_("They see this team's progress at /team/."),
        ),
        _people_panel("member_rows", heading=_("Members"), label=_("Member")),
    ]
