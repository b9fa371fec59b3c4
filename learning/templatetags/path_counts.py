"""How the site counts a path's modules, said one way everywhere (path cards, progress bars, the
home page's Continue card, a manager's view of a member): "7 required + 1 elective", or "7 modules"
when the path has no electives; progress counts the required ones only ("2 of 7 required modules"),
because electives never count towards a path's progress (progress.summarise)."""

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def module_count(required, electives=0, done=None):
    """{% module_count path.required_count path.elective_count %} or, for progress,
    {% module_count summary.required summary.electives done=summary.done %}."""
    if done is not None:
        if electives:
            return ngettext("%(done)s of %(n)s required module", "%(done)s of %(n)s required modules", required) % {
                "done": done,
                "n": required,
            }
        return ngettext("%(done)s of %(n)s module", "%(done)s of %(n)s modules", required) % {
            "done": done,
            "n": required,
        }
    if electives:
        return ngettext("%(n)s required + %(e)s elective", "%(n)s required + %(e)s electives", electives) % {
            "n": required,
            "e": electives,
        }
    return ngettext("%(n)s module", "%(n)s modules", required) % {"n": required}
