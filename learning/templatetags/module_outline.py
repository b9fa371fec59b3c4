"""A module page's "On this page" list (the h2 headings of its body text, each given an anchor), and the
name of each step's state in its side column.

One pass over the body names every section (module_sections); the body's text blocks are then rendered
with those names as the headings' ids (section_text), so the list and the anchors can never disagree.
Both run inside the page's cached fragments, once per published version.
"""

import re

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from wagtail.rich_text import RichText

from learning.records import progress

register = template.Library()

H2 = re.compile(r"<h2\b([^>]*)>(.*?)</h2>", re.S | re.I)
# Ids the module page gives its own parts; a section called "Quiz" must not take the quiz's anchor.
TAKEN = frozenset({"main", "quiz", "objectives-heading", "readings-heading", "quiz-heading"})


def _source(block):
    value = block.value
    return value.source if isinstance(value, RichText) else str(value)


@register.simple_tag
def module_sections(page):
    """[(anchor, heading text, position of its block)] for every h2 of the body's text blocks, in order;
    anchors are the headings' slugs, numbered where two headings share one."""
    sections, seen = [], set(TAKEN)
    for position, block in enumerate(page.body):
        if block.block_type != "text":
            continue
        for _attributes, inner in H2.findall(_source(block)):
            text = " ".join(strip_tags(inner).split())
            base = slugify(text, allow_unicode=True) or "section"
            anchor, number = base, 2
            while anchor in seen:
                anchor, number = f"{base}-{number}", number + 1
            seen.add(anchor)
            sections.append((anchor, text, position))
    return sections


@register.simple_tag
def section_text(block, position, sections):
    """The text block at `position` in the body, as rich text whose h2 headings carry the anchors
    module_sections gave them."""
    anchors = iter(anchor for anchor, _text, at in sections if at == position)
    html = str(block.value)

    def with_id(match):
        anchor = next(anchors, None)
        attributes = re.sub(r'\s+id="[^"]*"', "", match[1])
        if anchor is None:
            return match[0]
        # Both parts come from the rich text Wagtail rendered (its own whitelisted markup), as the whole does.
        attributes, heading = mark_safe(attributes), mark_safe(match[2])  # nosec B308 B703: Wagtail's rich text
        return format_html('<h2 id="{}"{}>{}</h2>', anchor, attributes, heading)

    return mark_safe(H2.sub(with_id, html))  # nosec B308 B703: Wagtail's rendered rich text, anchors escaped


@register.simple_tag
def state_label(state):
    """What progress calls a module's state (progress.STATE_LABELS), as text: the side column's marks draw it."""
    return progress.STATE_LABELS[state]
