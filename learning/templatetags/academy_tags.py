"""Small pieces of markup that long lists repeat (a path's steps, a member's modules): tags rather
than includes, because an include per row cost more than the rest of the row."""
from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from learning import progress

register = template.Library()


@register.simple_tag
def state_badge(state):
    badges = {
        progress.COMPLETED: ("badge-done", _("Done")),
        progress.STARTED: ("badge-progress", _("In progress")),
    }
    css, label = badges.get(state, ("badge-elective", _("Not started")))
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.simple_tag
def module_facts(module):
    """Level and minutes, e.g. "Beginner · 25 min"."""
    minutes = _("%(m)s min") % {"m": module.minutes}
    return format_html('<span class="level level-{}">{}</span> · {}', module.level, module.get_level_display(), minutes)
