"""What the multi-host and multi-worker tests do to servers started with tests/serving.py: sign an
editor in, translate and publish through Wagtail's admin as an editor does, and ask many times at
once (so every worker of a server answers some)."""

from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.learner_client import Learner, Recorder

PASSWORD = "a-host-test-password-2026"


def production_password():
    """The servers check passwords with production's hasher (PBKDF2), not the tests' MD5."""
    hasher = PBKDF2PasswordHasher()  # a full-entropy salt, else the first sign-in re-hashes and saves
    return hasher.encode(PASSWORD, hasher.salt())


def superuser(username="host-admin"):
    from learning.models import User

    return User.objects.create(
        username=username, password=production_password(), is_staff=True, is_superuser=True, is_active=True
    )


def signed_in(base, username, recorder=None):
    client = Learner(base, username, PASSWORD, recorder=recorder or Recorder())
    client.login()
    return client


def admin_form_token(client, path):
    """Open the admin form (as an editor would) and answer with the CSRF cookie's token."""
    client.get(path, kind="admin")
    return client.cookies["csrftoken"]


def translate_in_admin(editor, page, locale):
    """Wagtail's "Translate" (simple_translation) on `page` with its subtree: drafts in `locale`."""
    path = f"/admin/translation/submit/page/{page.pk}/"
    data = {"csrfmiddlewaretoken": admin_form_token(editor, path), "locales": [locale.pk], "include_subtree": "on"}
    editor.request("admin", "POST", path, data, expect=(302,))


def publish_in_admin(editor, page, *, descendants=False):
    """Wagtail's bulk "Publish" on `page` (and its descendants): publishes the latest revisions."""
    path = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}"
    token = admin_form_token(editor, path)
    data = {"csrfmiddlewaretoken": token, **({"include_descendants": "on"} if descendants else {})}
    editor.request("admin", "POST", path, data, expect=(302,))


def statuses(base, path, times=16, concurrency=4, session=None):
    """GET `path` `times` times, `concurrency` at once (anonymous, or with `session`'s cookies):
    [(status, text)] in order of completion."""

    def one(_):
        client = Learner(base, "", "", recorder=Recorder())
        if session is not None:
            client.cookies = dict(session.cookies)
        try:
            page = client.request("read", "GET", path, expect=(200, 301, 302, 404, 500))
        except Exception as error:  # a broken connection counts as a failure too
            return (type(error).__name__, "")
        return (page.status, page.text)

    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(times)))
