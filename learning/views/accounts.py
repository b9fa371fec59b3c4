"""Account pages. Thin: the forms validate, learning.accounts decides and writes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView, View

from learning import accounts
from learning.forms import InvitationForm, InvitationResendForm, ProfileForm, SignInForm, SignupForm
from learning.models import User

PENDING_SHOWN = 50  # unused invitations listed on the invite page, newest first


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

    def get_context_data(self, **kwargs):
        return super().get_context_data(may_invite=accounts.user_may_invite(self.request.user), **kwargs)

    def form_valid(self, form):
        user = form.save()
        messages.success(self.request, _("Your profile is saved."))
        return accounts.language_cookie_set(redirect(self.success_url), language=user.preferred_language)


class InviteView(UserPassesTestMixin, FormView):
    """Staff and team managers invite people; others signed in get 403, visitors the sign-in page."""

    form_class = InvitationForm
    template_name = "registration/invite.html"
    success_url = reverse_lazy("invite")

    def test_func(self):
        return accounts.user_may_invite(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inviter": self.request.user}

    def get_context_data(self, **kwargs):
        unused = accounts.invitations_resendable_by(user=self.request.user)[:PENDING_SHOWN]
        return super().get_context_data(unused_invitations=unused, **kwargs)

    def form_valid(self, form):
        user = accounts.user_invite(invited_by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Invitation sent to %(email)s.") % {"email": user.email})
        return super().form_valid(form)


class InviteResendView(UserPassesTestMixin, View):
    """Send an unused invitation again (it expired, or the mail got lost); the earlier links stop working."""

    http_method_names = ["post"]

    def test_func(self):
        return accounts.user_may_invite(self.request.user)

    def post(self, request):
        form = InvitationResendForm(request.POST, inviter=request.user)
        if form.is_valid():
            user = accounts.invitation_resend(invited_by=request.user, user=form.cleaned_data["user"])
            messages.success(request, _("Invitation sent again to %(email)s. Earlier links no longer work.") % {"email": user.email})
        else:
            messages.error(request, _("That invitation cannot be sent again: the person has signed in already."))
        return redirect("invite")


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
