"""/accounts/: sign in and out, passwords, profile, invitations, and self sign-up when it is on.

URL names are Django's own where Django has a view for the job, so its views and mail templates
find each other without configuration.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from learning.accounts import views
from learning.interop import views as interop_views
from learning.teams import invitation_views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/record.json", interop_views.my_record, name="my_record"),
    path("invite/", invitation_views.InviteView.as_view(), name="invite"),
    path("invite/resend/", invitation_views.InviteResendView.as_view(), name="invite_resend"),
    path("welcome/done/", views.WelcomeDoneView.as_view(), name="welcome_done"),
    path("welcome/<uidb64>/<token>/", views.WelcomeView.as_view(), name="welcome"),
    path("signup/", views.SignupView.as_view(), name="signup"),
]
