from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from learning.catalogue.models import PathPage
from learning.records import progress
from learning.teams.dashboard import Selection

WHOLE_TEAM = "team"


class ListSelect(forms.Select):
    """A plain <select> built in Python. Django renders each option through a template, which at 50
    members cost as much as the whole team matrix; this returns the same markup (no option groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], format_html(" {}", "selected") if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class PageChoiceField(forms.ModelChoiceField):
    """A page by id. A page's id is a key to its parent row, which Django does not check against the
    database's integer range as it does plain ids: a 30-digit id reached SQLite as an OverflowError
    (a 500). Anything but a plain id in range is an invalid choice."""

    def to_python(self, value):
        if value not in self.empty_values and not (str(value).isdigit() and int(value) < 2**31):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


def english_paths():
    """Assignments are records, kept on the English path (learners see it in their own language)."""
    return PathPage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).order_by("order", "title")


class MemberIdsField(forms.TypedMultipleChoiceField):
    """Member ids from checkboxes: whole numbers in range; whether they are the team's is the view's
    (permissions.members_of), so a tampered id is a 404 there, never a silent skip."""

    def valid_value(self, value):
        return str(value).isdigit() and 0 < int(value) < 2**31


class AssignmentForm(forms.Form):
    """Assign a path with a due date to the ticked members (`members`), one member (`member`, the
    member page) or the whole team (`member=team`). Lists no members: the team page ticks them."""

    members = MemberIdsField(coerce=int, required=False)
    member = forms.CharField(required=False)
    path = PageChoiceField(label=_("Path"), queryset=PathPage.objects.none(), widget=ListSelect)
    due_date = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_in_days = forms.IntegerField(
        label=_("or due after (days)"),
        required=False,
        min_value=1,
        max_value=730,
        help_text=_("Counted from today, e.g. 30 for a first-month plan."),
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["path"].queryset = english_paths()
        self.fields["due_date"].widget.attrs["min"] = timezone.localdate().isoformat()  # the date picker agrees

    def clean_member(self):
        member = self.cleaned_data["member"]
        if member and member != WHOLE_TEAM and not (member.isdigit() and 0 < int(member) < 2**31):
            raise forms.ValidationError(_("Choose members from the list."), code="invalid_member")
        return member

    def clean_due_date(self):
        """A due date already past would make the assignment overdue the moment it is made."""
        due_date = self.cleaned_data["due_date"]
        if due_date and due_date < timezone.localdate():
            raise forms.ValidationError(
                _("This date is in the past. Choose today or a later day."), code="past_due_date"
            )
        return due_date

    def clean(self):
        data = super().clean()
        if data.get("due_date") and data.get("due_in_days"):
            raise forms.ValidationError(_("Give a due date or a number of days, not both."))
        if not data.get("members") and not data.get("member"):
            raise forms.ValidationError(_("Tick at least one member."), code="no_members")
        return data

    def member_ids(self):
        """The ids asked for, or None for the whole team."""
        if self.cleaned_data.get("member") == WHOLE_TEAM:
            return None
        ids = list(self.cleaned_data.get("members") or [])
        return ids + [int(self.cleaned_data["member"])] if self.cleaned_data.get("member") else ids


class SelectionActionForm(forms.Form):
    """Remind or unassign: the ticked members (`members`) or one row's button (`only`), and for
    unassigning the path. Tampered ids end as form errors or 404s, never database errors."""

    members = MemberIdsField(coerce=int, required=False)
    only = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    path = PageChoiceField(queryset=PathPage.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["path"].queryset = english_paths()

    def clean(self):
        data = super().clean()
        if not data.get("members") and not data.get("only"):
            raise forms.ValidationError(_("Tick at least one member."), code="no_members")
        return data

    def member_ids(self):
        return [self.cleaned_data["only"]] if self.cleaned_data.get("only") else list(self.cleaned_data["members"])


SORT_CHOICES = [
    ("status", _("Status")),
    ("name", _("Name")),
    ("progress", _("Progress")),
    ("activity", _("Last activity")),
]


class DashboardFilterForm(forms.Form):
    """The team page's filters, sort and page from the URL. Anything unknown falls back to the
    default (a stale bookmark still opens the page)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    path = PageChoiceField(label=_("Path"), queryset=PathPage.objects.none(), required=False, empty_label=_("Any path"))
    q = forms.CharField(label=_("Name"), required=False, max_length=100, strip=True)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10**6)
    all_paths = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["path"].queryset = english_paths()
        self.fields["status"].choices = [("", _("Any status"))] + [
            (status, progress.STATUS_LABELS[status]) for status in progress.STATUS_ORDER
        ]

    def selection(self):
        """A dashboard.Selection; fields that did not validate are left at their defaults."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        return Selection(
            status=data.get("status", ""),
            path=data.get("path"),
            q=data.get("q", ""),
            sort=data.get("sort", "status"),
            page=data.get("page", 1),
            all_paths=bool(data.get("all_paths")),
        )


class AssignmentRefForm(forms.Form):
    """Which assignment to remove: a member and a path, by id. Whatever arrives in the query string or
    the POST (empty, text, huge numbers) ends as a form error, never as a database error."""

    member = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    path = forms.IntegerField(min_value=1, max_value=2**31 - 1)
