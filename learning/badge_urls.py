"""/badges/: the Open Badges documents (learning/interop/views.py), outside the language prefixes: a
credential, a key and the revocation list each have one address, which signed credentials name."""

from django.urls import path

from learning.interop import views as badges

urlpatterns = [
    path("issuer.json", badges.issuer, name="badge_issuer"),
    path("jwks.json", badges.jwks, name="badge_jwks"),
    path("status/revocation.json", badges.status_list_json, name="badge_status_list"),
    path("status/revocation.jwt", badges.status_list_jwt, name="badge_status_list_jwt"),
    path("credentials/<str:uid>.json", badges.credential_json, name="badge_credential"),
    path("credentials/<str:uid>.jwt", badges.credential_jwt, name="badge_credential_jwt"),
    path("credentials/<str:uid>.png", badges.credential_png, name="badge_image"),
]
