"""The academy's line icons and logo mark, drawn for it in one sprite (site/static/img/icons.svg).

An icon is an inline <svg> that points into the sprite with <use>, so it takes the text colour
(light and dark) and the browser fetches and caches the sprite once for every icon on every page.
Icons here are decorative: the text next to them says the same, so each is aria-hidden."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

SPRITE = "img/icons.svg"
# One icon per knowledge area, by the AreaPage's slug (content/areas/<slug>.yaml); an area added
# later shows the generic book ("area") until it is drawn.
AREA_ICONS = frozenset(
    {
        "analytics",
        "category",
        "content",
        "design",
        "law",
        "leadership",
        "logistics",
        "marketing",
        "marketplaces",
        "payments",
        "processes",
        "search-engines",
        "service",
        "strategy",
        "technology",
        "usability",
    }
)

# A role path shows the icon of the area at its heart (content/paths/<slug>.yaml); a path added later
# shows the generic path icon until it is given one here.
PATH_ICONS = {
    "category-manager": "category",
    "content-and-campaign-strategist": "content",
    "customer-service-manager": "service",
    "data-evangelist": "analytics",
    "ecommerce-essentials": "strategy",
    "ecommerce-manager": "leadership",
    "marketplace-manager": "marketplaces",
    "shop-manager": "design",
    "ux-designer": "usability",
}


def area_symbol(slug):
    return f"area-{slug}" if slug in AREA_ICONS else "area"


@register.simple_tag
def icon(name, css="icon"):
    """{% icon "clock" %}: an interface icon from the sprite, hidden from assistive technology."""
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>', css, static(SPRITE), name
    )


@register.simple_tag
def area_icon(slug, size=""):
    """{% area_icon area.slug %} or {% area_icon area.slug "small" %}: the area's icon on its tile."""
    tile = "area-icon" + (f" area-icon-{size}" if size else "")
    return format_html('<span class="{}">{}</span>', tile, icon(area_symbol(slug)))


@register.simple_tag
def path_icon(slug, size=""):
    """{% path_icon path.slug %}: the role path's icon on its tile."""
    tile = "area-icon area-icon-path" + (f" area-icon-{size}" if size else "")
    symbol = f"area-{PATH_ICONS[slug]}" if slug in PATH_ICONS else "path"
    return format_html('<span class="{}">{}</span>', tile, icon(symbol))


@register.filter
def area_slug(module):
    """The slug of a module's area, read from its url_path (".../areas/<area>/<module>/"): a module's
    parent is always its area (ModulePage.parent_page_types), and this costs no query where a list of
    modules (Recently completed, Continue) would otherwise fetch each parent."""
    parts = [part for part in (module.url_path or "").split("/") if part]
    return parts[-2] if len(parts) >= 2 else ""


@register.simple_tag
def logo_mark(css="brand-mark"):
    """The logo mark (a shopping bag with a rising line); the brand name beside it is the text."""
    return icon("logo", css)
