"""Wagtail's site root paths (each site's home page in each language), right in every worker.

Wagtail keeps them in the "default" cache for an hour and clears them when a site, or a site's home
page or its translation, is saved: in the saving process only, and inside the saving transaction. So
a German tree created in one worker left the others building German links from a list without German
for up to an hour (a 500 on /de/ pages), and a request in the moment before the commit could store
the old list again, even in a shared cache. Here the list is cleared once more after the commit; with
Redis (one cache for every worker) that is enough. Without it, each worker's memory holds its own copy:
the commit also touches ACADEMY_SITE_ROOTS_STAMP, and every worker compares that file's identity at
the start of each request (one stat, no query) and drops its copy when it changed.
"""

import contextlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.signals import request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site

from learning.operations import sites

_seen = {"stamp": None}


def connect():
    """Called once, when the app is ready."""
    post_save.connect(site_changed, sender=Site, dispatch_uid="academy-site-roots-site-saved")
    post_delete.connect(site_changed, sender=Site, dispatch_uid="academy-site-roots-site-deleted")
    post_save.connect(page_saved, dispatch_uid="academy-site-roots-page-saved")
    post_delete.connect(page_saved, dispatch_uid="academy-site-roots-page-deleted")
    request_started.connect(forget_if_changed, dispatch_uid="academy-site-roots-request")


def page_saved(sender, instance, raw=False, **kwargs):
    # The same test as Wagtail's Page.save: a site's home page or a translation of it.
    if not raw and isinstance(instance, Page) and instance.is_site_root():
        transaction.on_commit(site_roots_changed)


def site_changed(sender, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(site_roots_changed)


def site_roots_changed():
    """After the commit: clear the cached list here (and in Redis), and tell this host's other workers."""
    Site.clear_site_root_paths_cache()
    sites.forget()
    stamp = settings.ACADEMY_SITE_ROOTS_STAMP
    if stamp is None:
        return
    stamp = Path(stamp)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    # A new file each time (a new inode), so two changes within the clock's resolution still differ.
    descriptor, temporary = tempfile.mkstemp(dir=stamp.parent, prefix=".site-roots-")
    os.close(descriptor)
    os.replace(temporary, stamp)


def stamp_identity():
    stamp = settings.ACADEMY_SITE_ROOTS_STAMP
    if stamp is None:
        return None
    with contextlib.suppress(FileNotFoundError):
        status = os.stat(stamp)
        return status.st_ino, status.st_mtime_ns
    return None


def forget_if_changed(**kwargs):
    """At the start of each request: drop this worker's copy when another process changed the roots."""
    identity = stamp_identity()
    if identity != _seen["stamp"]:
        _seen["stamp"] = identity
        Site.clear_site_root_paths_cache()
        sites.forget()
