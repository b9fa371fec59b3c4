"""Account forms: sign-in, profile, sign-up (invitations: learning.teams.invitation_forms).

One email address belongs to one account (compared case-insensitively), so a password reset mail
reaches exactly one person and an invitation cannot create a second account for someone.
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from learning.accounts.models import User


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the username's length enforced: Django only shows it, and a longer
    name reached django-axes, which records failures in a 255-character column (a 500 on PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class AccountEmailMixin:
    """The email address is required and belongs to no other account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("An account with this email address already exists."), code="unique")
        return email


class ProfileForm(AccountEmailMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "email", "preferred_language", "reminders_opt_out", "badge_shows_name"]
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }


class SignupForm(AccountEmailMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email", "display_name"]
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
