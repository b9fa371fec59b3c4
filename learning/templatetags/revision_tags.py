"""How a module's body block was touched by the revisions since the learner completed it."""

from django import template

register = template.Library()


@register.filter
def revision_mark(marked, block_id):
    """ "added", "changed" or "" for the block, from the {block id: mark} map (catalogue/revision_diff.py)."""
    return (marked or {}).get(block_id, "")
