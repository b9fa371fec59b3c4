from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from learning.accounts import views as accounts_views

# Outside the languages: Wagtail's admin (each editor picks its language in their admin account),
# documents, the language switcher's links, which lead into a language, and the Open Badges documents
# (signed credentials name their one address).
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("badges/", include("learning.badge_urls")),
    path("language/<str:language>/", accounts_views.language_choose, name="language_choose"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The whole site in each language: English at /, German and Polish under /de/ and /pl/, for the
# catalogue's pages and the app's own (My learning, teams, accounts, search, certificates) alike.
# /go/<id>/ and /healthz answer unprefixed too (and are never redirected: PreferredLanguageMiddleware);
# reverse() puts the active language's prefix on every URL, so a German page's links stay German.
urlpatterns += i18n_patterns(
    path("accounts/", include("learning.accounts_urls")),
    path("", include("learning.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
