"""The certificate page's Open Badges links (learning/interop): the credential as JSON and as a signed JWT,
the baked badge image, and LinkedIn's "add to profile" form filled in. No query."""

from django import template
from django.urls import reverse

from learning.interop import badges

register = template.Library()


@register.simple_tag
def badge_links(certificate, *, name, cert_url):
    return {
        "json": reverse("badge_credential", args=[certificate.uid]),
        "jwt": reverse("badge_credential_jwt", args=[certificate.uid]),
        "png": reverse("badge_image", args=[certificate.uid]),
        "linkedin": badges.linkedin_url(certificate, name=name, cert_url=cert_url),
    }
