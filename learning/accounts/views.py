"""Account pages: sign-in, passwords, profile, welcome (an invitation's link), sign-up. Thin: the forms
validate, learning.accounts.services writes; choosing a language. Invitations are team pages:
learning.teams.invitation_views."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_safe
from django.views.generic import FormView, TemplateView

from learning.accounts import languages
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

    def get_default_redirect_url(self):
        """Without ?next=, My learning in the learner's own language (/de/learn/); a ?next= URL without
        a prefix is sent on to their language by PreferredLanguageMiddleware."""
        with translation.override(languages.preferred_language(self.request.user)):
            return super().get_default_redirect_url()


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset link; a new password also lifts a sign-in lock, as the lockout page promises."""

    def form_valid(self, form):
        accounts.login_lockout_clear(user=form.user)
        return super().form_valid(form)


class ProfileView(LoginRequiredMixin, FormView):
    form_class = ProfileForm
    template_name = "registration/profile.html"

    def get_form_kwargs(self):
        # A copy of the user: a form with errors writes to its instance, and the header must keep
        # showing the saved name.
        return {**super().get_form_kwargs(), "instance": User.objects.get(pk=self.request.user.pk)}

    def form_valid(self, form):
        user = form.save()
        # Back to the profile in the language just chosen, saying so in that language.
        with translation.override(languages.preferred_language(user)):
            messages.success(self.request, _("Your profile is saved."))
            target = reverse("profile")
        return accounts.language_cookie_set(redirect(target), language=user.preferred_language)


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


@require_safe
def language_choose(request, language):
    """The language switcher's links: remember `language` in the language cookie and go to the page
    in that language: ?page=<id> names a Wagtail page, whose translation this finds (that language's
    home, saying the page is not translated yet, when there is none); ?next= is an app URL already
    under that language's prefix.

    The cookie is the explicit choice that unprefixed URLs follow from now on
    (languages.wanted_language). The profile's language is left alone: it decides the mails and where
    signing in lands, and following a link must not change an account. A ?next= off the site is
    replaced by that language's home.
    """
    if language not in dict(settings.LANGUAGES):
        raise Http404
    home = languages.path_in_language("/", language)
    page_id = request.GET.get("page", "")
    if page_id.isdigit():
        target = languages.page_url_in(request, int(page_id), language)
        if target is None:
            target = home
            with translation.override(language):  # the home page it lands on is in that language
                messages.info(request, _("The page you were reading is not translated into this language yet."))
    else:
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = home
    return accounts.language_cookie_set(redirect(target), language=language)
