"""Which body blocks differ between two published versions of a module: pure, no Django.

Blocks are compared by id (Wagtail keeps a block's id across edits in the admin; the curriculum
importer numbers them by position), and by content, so a block that only moved, or an unchanged block
whose position-numbered id shifted because a block was inserted before it, is not reported.
- added: a block of the new version whose content is new and whose id was not in the old one, or was
  the id of a block that is still there under another id (an insertion shifted the numbering);
- changed: a block whose id was in the old version with other content that is gone;
- removed: an old block whose content is gone and whose id no block of the new version took over.
"""

import json
from dataclasses import dataclass, field


@dataclass
class BodyChanges:
    added: list = field(default_factory=list)  # new block ids
    changed: list = field(default_factory=list)  # new block ids
    removed: list = field(default_factory=list)  # the old raw blocks

    @property
    def marked(self):
        """{block id: "added" | "changed"} for the new version's blocks the page highlights."""
        return {**dict.fromkeys(self.added, "added"), **dict.fromkeys(self.changed, "changed")}

    def __bool__(self):
        return bool(self.added or self.changed or self.removed)


def _content(block):
    return block.get("type"), json.dumps(_without_ids(block.get("value")), sort_keys=True)


def _without_ids(value):
    """A block's value with the ids of its list items left out: they carry no content."""
    if isinstance(value, list):
        return [_without_ids(item.get("value") if isinstance(item, dict) and "id" in item else item) for item in value]
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items()}
    return value


def body_changes(old, new):
    """old, new: StreamField raw data (lists of {"type", "value", "id"}) -> BodyChanges."""
    old_by_id = {block.get("id"): block for block in old}
    old_contents = {_content(block) for block in old}
    new_contents = {_content(block) for block in new}
    changes, taken_over = BodyChanges(), set()
    for block in new:
        content = _content(block)
        if content in old_contents:
            continue
        previous = old_by_id.get(block.get("id"))
        if previous is not None and _content(previous) not in new_contents:
            changes.changed.append(block["id"])
            taken_over.add(block["id"])
        else:
            changes.added.append(block.get("id"))
    changes.removed = [
        block for block in old if _content(block) not in new_contents and block.get("id") not in taken_over
    ]
    return changes
