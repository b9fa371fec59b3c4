"""Account pages: sign-in, passwords, profile, welcome (an invitation's link), sign-up. Thin: the forms
validate, learning.accounts.services writes. Invitations are team pages: learning.teams.invitation_views."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from learning.accounts import services as accounts
from learning.accounts.forms import ProfileForm, SignInForm, SignupForm
from learning.accounts.models import User


class LoginView(auth_views.LoginView):
    """Django's sign-in; the user's preferred language follows them into the language cookie."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(self_signup=settings.ACADEMY_SELF_SIGNUP, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        return accounts.language_cookie_set(response, language=form.get_user().preferred_language)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset link; a new password also lifts a sign-in lock, as the lockout page promises."""

    def form_valid(self, form):
        accounts.login_lockout_clear(user=form.user)
        return super().form_valid(form)


class ProfileView(LoginRequiredMixin, FormView):
    form_class = ProfileForm
    template_name = "registration/profile.html"
    success_url = reverse_lazy("profile")

    def get_form_kwargs(self):
        # A copy of the user: a form with errors writes to its instance, and the header must keep
        # showing the saved name.
        return {**super().get_form_kwargs(), "instance": User.objects.get(pk=self.request.user.pk)}

    def form_valid(self, form):
        user = form.save()
        messages.success(self.request, _("Your profile is saved."))
        return accounts.language_cookie_set(redirect(self.success_url), language=user.preferred_language)


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The invitation link: the invited person chooses a password and is signed in.

    Django's token covers the password hash, so once the password is set the link is invalid.
    """

    template_name = "registration/welcome.html"
    success_url = reverse_lazy("welcome_done")
    post_reset_login = True
    post_reset_login_backend = accounts.SESSION_BACKEND

    def form_valid(self, form):
        response = super().form_valid(form)
        return accounts.language_cookie_set(response, language=form.user.preferred_language)


class WelcomeDoneView(TemplateView):
    template_name = "registration/welcome_done.html"


@method_decorator(sensitive_post_parameters("password1", "password2"), name="dispatch")
class SignupView(FormView):
    """Self sign-up, only while settings.ACADEMY_SELF_SIGNUP is on (read on every request)."""

    form_class = SignupForm
    template_name = "registration/signup.html"

    def dispatch(self, request, *args, **kwargs):
        if not settings.ACADEMY_SELF_SIGNUP:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.save()
        login(self.request, user, backend=accounts.SESSION_BACKEND)
        messages.success(self.request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.name})
        return accounts.language_cookie_set(redirect(settings.LOGIN_REDIRECT_URL), language=user.preferred_language)
