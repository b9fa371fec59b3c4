from django import forms
from django.utils.translation import gettext_lazy as _

from learning.models import PathPage

WHOLE_TEAM = "team"


class AssignmentForm(forms.Form):
    member = forms.ChoiceField(label=_("Who"))
    path = forms.ModelChoiceField(label=_("Path"), queryset=PathPage.objects.none())
    due_date = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_in_days = forms.IntegerField(
        label=_("or due after (days)"), required=False, min_value=1, max_value=730,
        help_text=_("Counted from today, e.g. 30 for a first-month plan."),
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.members = {str(m.pk): m for m in team.members.order_by("display_name", "username")}
        self.fields["member"].choices = [(WHOLE_TEAM, _("The whole team"))] + [(pk, m.name) for pk, m in self.members.items()]
        self.fields["path"].queryset = PathPage.objects.live().order_by("order", "title")

    def clean(self):
        data = super().clean()
        if data.get("due_date") and data.get("due_in_days"):
            raise forms.ValidationError(_("Give a due date or a number of days, not both."))
        return data

    def chosen_members(self):
        choice = self.cleaned_data["member"]
        return list(self.members.values()) if choice == WHOLE_TEAM else [self.members[choice]]
