"""Inviting people, and sending an unused invitation again (under /accounts/invite/)."""

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from learning.teams import invitations
from learning.teams.invitation_forms import InvitationForm, InvitationResendForm

PENDING_SHOWN = 50  # unused invitations listed on the invite page, newest first


class InviteView(UserPassesTestMixin, FormView):
    """Team managers and those who see every team invite people (invitations.user_may_invite); others
    signed in get 403, visitors the sign-in page."""

    form_class = InvitationForm
    template_name = "registration/invite.html"
    success_url = reverse_lazy("invite")

    def test_func(self):
        return invitations.user_may_invite(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inviter": self.request.user}

    def get_context_data(self, **kwargs):
        unused = invitations.invitations_resendable_by(user=self.request.user)[:PENDING_SHOWN]
        return super().get_context_data(unused_invitations=unused, **kwargs)

    def form_valid(self, form):
        user = invitations.user_invite(invited_by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Invitation sent to %(email)s.") % {"email": user.email})
        return super().form_valid(form)


class InviteResendView(UserPassesTestMixin, View):
    """Send an unused invitation again (it expired, or the mail got lost); the earlier links stop working."""

    http_method_names = ["post"]

    def test_func(self):
        return invitations.user_may_invite(self.request.user)

    def post(self, request):
        form = InvitationResendForm(request.POST, inviter=request.user)
        if form.is_valid():
            user = invitations.invitation_resend(invited_by=request.user, user=form.cleaned_data["user"])
            messages.success(
                request, _("Invitation sent again to %(email)s. Earlier links no longer work.") % {"email": user.email}
            )
        else:
            messages.error(request, _("That invitation cannot be sent again: the person has signed in already."))
        return redirect("invite")
