from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from learning.catalogue.models import PathPage

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


class AssignmentForm(forms.Form):
    member = forms.ChoiceField(label=_("Who"), widget=ListSelect)
    path = PageChoiceField(label=_("Path"), queryset=PathPage.objects.none(), widget=ListSelect)
    due_date = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_in_days = forms.IntegerField(
        label=_("or due after (days)"),
        required=False,
        min_value=1,
        max_value=730,
        help_text=_("Counted from today, e.g. 30 for a first-month plan."),
    )

    def __init__(self, *args, team, members=None, **kwargs):
        """`members`, by name, when the caller has them already (the team page's matrix)."""
        super().__init__(*args, **kwargs)
        self.team = team
        members = team.members.order_by("display_name", "username") if members is None else members
        self.members = {str(m.pk): m for m in members}
        self.fields["member"].choices = [(WHOLE_TEAM, _("The whole team"))] + [
            (pk, m.name) for pk, m in self.members.items()
        ]
        # Assignments are records, kept on the English path (learners see it in their own language).
        self.fields["path"].queryset = (
            PathPage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).order_by("order", "title")
        )
        self.fields["due_date"].widget.attrs["min"] = (
            timezone.localdate().isoformat()
        )  # the browser's date picker agrees

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
        return data

    def chosen_members(self):
        choice = self.cleaned_data["member"]
        return list(self.members.values()) if choice == WHOLE_TEAM else [self.members[choice]]


class AssignmentRefForm(forms.Form):
    """Which assignment to remove: a member and a path, by id. Whatever arrives in the query string or
    the POST (empty, text, huge numbers) ends as a form error, never as a database error."""

    member = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    path = forms.IntegerField(min_value=1, max_value=2**31 - 1)
