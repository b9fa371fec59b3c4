"""Database helpers shared by the services."""

from django.db import IntegrityError, transaction


def get_or_create_once(model, defaults=None, **unique_lookup):
    """get_or_create that survives a race on a unique constraint: two requests both try, one
    inserts, the other reads the row back. Returns (object, created)."""
    try:
        with transaction.atomic():
            return model.objects.get_or_create(defaults=defaults, **unique_lookup)
    except IntegrityError:
        return model.objects.get(**unique_lookup), False
