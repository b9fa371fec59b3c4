"""Invitation forms: who to invite into which team, and which unused invitation to send again."""

from django import forms
from django.contrib.auth.forms import UsernameField
from django.utils.translation import gettext_lazy as _

from learning.accounts.forms import AccountEmailMixin
from learning.accounts.models import User
from learning.teams import invitations, permissions
from learning.teams.models import Team


class InvitationForm(AccountEmailMixin, forms.ModelForm):
    """Who to invite, and for a manager which of their teams the person joins."""

    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))

    class Meta:
        model = User
        fields = ["username", "email", "display_name"]
        field_classes = {"username": UsernameField}

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        for name in ("username", "email", "display_name"):
            # These describe the invited person; the browser must not fill in the inviter's own.
            self.fields[name].widget.attrs["autocomplete"] = "off"
        team = self.fields["team"]
        team.queryset = invitations.teams_invitable_by(user=inviter)
        sees_all = permissions.sees_all_teams(inviter)
        team.required = not sees_all
        team.empty_label = _("No team") if sees_all else _("Choose one of your teams")

    def clean_username(self):
        # Case-insensitive, like Django's UserCreationForm: "Lena" and "lena" are one person.
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            self._point_to_resend(username__iexact=username)
            raise self.instance.unique_error_message(User, ["username"])
        return username

    def clean_email(self):
        try:
            return super().clean_email()
        except forms.ValidationError:
            self._point_to_resend(email__iexact=self.cleaned_data["email"])
            raise

    def _point_to_resend(self, **account):
        """An account that was invited and never used is not invited twice: its invitation is sent again."""
        if invitations.invitations_resendable_by(user=self.inviter).filter(**account).exists():
            raise forms.ValidationError(
                _("This person was invited and has not signed in yet: send the invitation again below."),
                code="invited",
            )


class InvitationResendForm(forms.Form):
    """Which unused invitation to send again: only those the inviter may resend can be chosen."""

    user = forms.ModelChoiceField(queryset=User.objects.none())

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = invitations.invitations_resendable_by(user=inviter)
