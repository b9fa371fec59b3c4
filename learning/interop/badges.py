"""Every certificate as an Open Badges 3.0 `OpenBadgeCredential` (a Verifiable Credential, data model 2.0),
signed as a VC-JWT with the academy's Ed25519 key (README "Open Badges").

The credential is built from the records each time it is asked for, and signed then: the same certificate
gives the same credential and, Ed25519 being deterministic, the same token, until the learner changes their
consent or the key is rotated. It is written in the default language, where the certificate is kept.

- issuer: the academy's Profile at /badges/issuer.json;
- achievement: one per path, at the path page's URL, with its criteria (the required modules) and the
  knowledge areas of its modules as alignments;
- subject: the learner, named only with their consent (User.badge_shows_name); always identified by a
  salted SHA-256 of their e-mail address (or username), so they can show it is theirs without the
  credential saying who they are;
- status: an entry in the revocation list (status_list.py).
"""

import hashlib
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from learning.catalogue import selectors as catalogue
from learning.catalogue.models import AreaPage, PathStep
from learning.interop import keys, status_list
from learning.interop.activities import page_url, site_url

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
ISSUER_PATH = "/badges/issuer.json"
LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def organisation_name():
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or "E-Commerce Academy"


def iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_url(certificate, suffix="json"):
    return site_url(f"/badges/credentials/{certificate.uid}.{suffix}")


def issuer_profile():
    """The academy as an Open Badges issuer: what /badges/issuer.json serves and each credential embeds."""
    return {
        "@context": CONTEXT,
        "id": site_url(ISSUER_PATH),
        "type": ["Profile"],
        "name": organisation_name(),
        "url": site_url("/"),
    }


def _areas_of(steps):
    """The knowledge areas of the steps' modules (their parent pages), in the path's order: 1 query."""
    parent_paths = [step.module.path[: -AreaPage.steplen] for step in steps]
    areas = {area.path: area for area in AreaPage.objects.filter(path__in=parent_paths).select_related("locale")}
    return list({path: areas[path] for path in parent_paths if path in areas}.values())


def _alignment(area):
    return {
        "type": ["Alignment"],
        "targetName": area.title,
        "targetUrl": page_url(area),
        "targetDescription": area.summary,
        "targetType": "ext:KnowledgeArea",
    }


def achievement(path):
    """The achievement of finishing `path` (its default-language page): 2 queries (steps, areas)."""
    steps = list(PathStep.objects.filter(path=path).select_related("module__locale").order_by("sort_order"))
    required = [step.module.title for step in steps if step.required]
    outcomes = [line.strip() for line in path.outcomes.splitlines() if line.strip()]
    return {
        "id": page_url(path),
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": path.title,
        "description": _("Learning path for: %(role)s. %(audience)s") % {"role": path.role, "audience": path.audience}
        + ("\n" + _("Outcomes:") + "\n" + "\n".join(f"- {line}" for line in outcomes) if outcomes else ""),
        "criteria": {
            "id": page_url(path),
            "narrative": _("Complete every required module of the path and pass its quiz:")
            + "\n"
            + "\n".join(f"- {title}" for title in required),
        },
        "alignment": [_alignment(area) for area in _areas_of(steps)],
        "inLanguage": path.locale.language_code,
    }


def _identity(kind, value, *, salt=None):
    """An IdentityObject: the value hashed with the salt (SHA-256, as the specification spells it), or plain."""
    if salt is None:
        return {"type": "IdentityObject", "hashed": False, "identityHash": value, "identityType": kind}
    digest = "sha256$" + hashlib.sha256((value + salt).encode()).hexdigest()
    return {"type": "IdentityObject", "hashed": True, "identityHash": digest, "identityType": kind, "salt": salt}


def subject(certificate):
    """The learner as the credential's subject: a salted hash of their e-mail address (else their username),
    and their name only where they agreed to it."""
    user = certificate.enrolment.user
    # A salt of the certificate's own (the salt is published with the hash, as Open Badges do; it only keeps
    # one hash from matching across credentials), stable whatever the settings, so the credential stays the same.
    salt = hashlib.sha256(f"badge-salt:{certificate.uid}".encode()).hexdigest()[:16]
    if user.email:
        identifiers = [_identity("emailAddress", user.email.lower(), salt=salt)]
    else:
        identifiers = [_identity("userName", user.get_username(), salt=salt)]
    if user.badge_shows_name:
        identifiers.append(_identity("name", user.name))
    return {"type": ["AchievementSubject"], "identifier": identifiers}


def credential(certificate):
    """The certificate's OpenBadgeCredential, unsigned (the JSON the certificate page offers; credential_jwt
    signs it). `certificate` with enrolment__path and enrolment__user selected: 2 queries."""
    enrolment = certificate.enrolment
    with translation.override(catalogue.default_language()):
        reached = achievement(enrolment.path)
        return {
            "@context": CONTEXT,
            "id": credential_url(certificate),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": reached["name"],
            "description": _("Completed the learning path “%(path)s” at the %(academy)s.")
            % {"path": reached["name"], "academy": organisation_name()},
            "image": {"id": credential_url(certificate, "png"), "type": "Image"},
            "issuer": {key: value for key, value in issuer_profile().items() if key != "@context"},
            "validFrom": iso(certificate.issued_at),
            "awardedDate": iso(enrolment.completed_at or certificate.issued_at),
            "credentialSubject": {**subject(certificate), "achievement": reached},
            "credentialStatus": status_list.entry(certificate),
            "credentialSchema": [{"id": SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        }


def jwt_claims(document):
    """The VC-JWT payload of Open Badges 3.0 (section 8.2): the credential itself, with the registered claims
    the JWT carries for it (iss, jti, nbf from validFrom)."""
    issuer = document["issuer"]
    return {
        **document,
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": document["id"],
        "nbf": int(_parse(document["validFrom"]).timestamp()),
    }


def _parse(stamp):
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def credential_jwt(certificate):
    """The signed credential: a compact JWS (VC-JWT) that verifies against the published JWKS."""
    return keys.sign(jwt_claims(credential(certificate)))


def linkedin_url(certificate, *, name, cert_url):
    """LinkedIn's "add to profile" form, filled in with the certificate (the learner's browser goes there;
    we send nothing)."""
    issued = timezone.localtime(certificate.issued_at)
    return f"{LINKEDIN_ADD}?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": name,
            "organizationName": organisation_name(),
            "issueYear": issued.year,
            "issueMonth": issued.month,
            "certUrl": cert_url,
            "certId": certificate.uid,
        }
    )
