"""Wagtail's site root paths (each site's home page per language) in a server with several workers and
no Redis: each worker keeps its own copy, and a translated tree made by another process on the host
(`load_curriculum`, a shell, another worker) must link right in every worker on the next request (the
old copy linked the new language's pages as "None", and answered 500 on some, for up to an hour).
learning/operations/site_roots.py; with Redis: tests/operations/test_multihost.py."""

from django.db import connection

from tests.factories import translation_of
from tests.operations.hosts import statuses
from tests.serving import ROOT, database_url, gunicorn


def test_a_tree_translated_by_another_process_links_right_in_every_worker_without_redis(
    academy_restored_afterwards, transactional_db, academy, settings, tmp_path
):
    # This process stands for `load_curriculum` on the same host: the same checkout, no Redis.
    settings.ACADEMY_SITE_ROOTS_STAMP = ROOT / "var" / "site-roots.changed"
    home, areas, area, module = (academy[slug] for slug in ("academy", "areas", "payments", "chargebacks"))
    log = tmp_path / "gunicorn.log"
    with gunicorn(database_url(connection.settings_dict), workers=2, env={"REDIS_URL": ""}, log=log) as base:
        # Every worker renders English pages, so every worker holds the list of home pages without Polish.
        assert {status for status, _ in statuses(base, module.url) + statuses(base, "/")} == {200}
        for page in (home, areas, area, module):
            translation_of(page, "pl")
        modules, homes = statuses(base, f"/pl{module.url}"), statuses(base, "/pl/")
    assert [status for status, _ in modules + homes] == [200] * 32, log.read_text()[-3000:]
    # A worker with the old list built no link for Polish pages ("None") in place of the Polish area's.
    assert all(f'href="/pl{area.url}"' in text for _, text in modules)
    assert not [text for _, text in modules + homes if 'href="None"' in text]
