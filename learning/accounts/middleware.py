from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# Paths that stay open when the whole site requires sign-in: signing in itself, the admin (which
# has its own login), static files, and the public certificate check.
OPEN_PREFIXES = ("/accounts/", "/admin/", "/static/", "/media/", "/certificates/verify/", "/healthz")


class SiteLoginRequiredMiddleware:
    """With ACADEMY_REQUIRE_LOGIN on, every page but the open ones asks for sign-in first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ACADEMY_REQUIRE_LOGIN
            and not request.user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
