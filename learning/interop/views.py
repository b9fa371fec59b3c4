"""Open Badges documents (under /badges/, outside the language prefixes: a credential has one address) and the
learner's record download. HTTP only: the documents come from badges.py, keys.py, status_list.py and
record_export.py.

Public, by design: the issuer profile, the JWKS and the revocation list (anyone verifying a badge needs
them), and each certificate's credential, signed credential and baked image at its certificate id, the same
unguessable id that opens the public verification page (which names the learner already). Whoever holds the
id can check the badge; the credential names the learner only with their consent. An unknown id is a 404.
The record download is the signed-in learner's own and takes no id.
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header

from learning.interop import badge_image, badges, keys, record_export, status_list
from learning.records import selectors


def _public(response, *, max_age=300):
    """A document anyone may fetch, from any origin (a wallet verifying in a browser)."""
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def _document(data, *, content_type="application/json", max_age=300):
    return _public(JsonResponse(data, content_type=content_type, json_dumps_params={"ensure_ascii": False}),
                   max_age=max_age)  # fmt: skip


def _token(token, *, max_age=300):
    return _public(HttpResponse(token, content_type="application/jwt"), max_age=max_age)


def _certificate(uid):
    certificate = selectors.certificate_by_uid(uid)
    if certificate is None:
        raise Http404("no certificate with this id")
    return certificate


def issuer(request):
    return _document(badges.issuer_profile(), content_type="application/ld+json")


def jwks(request):
    return _document(keys.jwks(), content_type="application/jwk-set+json")


def status_list_json(request):
    # Revocations must reach verifiers quickly: a minute at most in any cache.
    return _document(status_list.status_list_credential(badges.issuer_profile()["id"]), max_age=60)


def status_list_jwt(request):
    document = status_list.status_list_credential(badges.issuer_profile()["id"])
    return _token(keys.sign(badges.jwt_claims(document)), max_age=60)


def credential_json(request, uid):
    return _document(badges.credential(_certificate(uid)), content_type="application/ld+json")


def credential_jwt(request, uid):
    return _token(badges.credential_jwt(_certificate(uid)))


def credential_png(request, uid):
    certificate = _certificate(uid)
    png = badge_image.baked_png(
        title=certificate.enrolment.path.title,
        organisation=badges.organisation_name(),
        year=timezone.localtime(certificate.issued_at).year,
        credential=badges.credential_jwt(certificate),
    )
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=f"badge-{uid}.png")
    return _public(response)


@login_required
def my_record(request):
    """The signed-in learner's whole learning record as a JSON file (never cached anywhere)."""
    record = record_export.learning_record(request.user)
    body = json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"learning-record-{request.user.get_username()}-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response
