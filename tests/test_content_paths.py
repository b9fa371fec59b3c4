"""Role paths carry what their capstones build on and the duties content/README.md assigns them.

Modules refer to each other in prose ("the module on paid search", "the payments modules") or, rarely,
by slug. A capstone (a module tagged `capstone`) that builds on a module its path does not contain
sends the learner to something the path never teaches, so every such reference must lie in the path.
"""

import re

import pytest

from learning.authoring.curriculum import read
from tests.conftest import ROOT

CONTENT = ROOT / "content"
# Words that join names in "the modules on X and on Y" and never identify a module on their own.
JOINERS = {",", "the", "and", "or", "on", "of", "for", "a", "an", "in", "its", "to", "with", "e"}
# In "the modules on X and Y", a name is followed by one of these when another name comes next.
LIST_LINKS = {",", "and", "or"}
REFERENCE = re.compile(r"\b(modules?) (?:on|about) ([^.;:!?()]+?)(?=[.;:!?()]|\bmodules? (?:on|about)\b|$)", re.I)
AREA_REFERENCE = re.compile(r"\bthe (?:two |three )?([a-z][a-z-]*) modules\b", re.I)


@pytest.fixture(scope="module")
def curriculum():
    return read(CONTENT)


def tokens(text):
    """Lower-case words (and commas) with a plural "s" dropped, so "budgets" names the module on the budget."""
    text = text.lower().replace("a/b", "ab").replace("e-commerce", "ecommerce")
    words = re.findall(r"[a-z0-9]+|,", text)
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def module_names(modules):
    """Each module is known by its slug's words and by its title's words."""
    return {m.slug: [tokens(m.slug.replace("-", " ")), tokens(m.data["title"])] for m in modules}


def body_text(source):
    """The module's Markdown after the front matter, without the `:::` block markers."""
    raw = (ROOT / source.file).read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return "\n".join(line for line in raw.splitlines() if not line.startswith(":::"))


def longest_match(words, names):
    """The module whose name contains the longest run of `words` from the start, or None if it is not unique."""
    best, best_length = set(), 0
    for slug, variants in names.items():
        for variant in variants:
            for length in range(len(words), 0, -1):
                run = words[:length]
                if set(run) <= JOINERS or not contains(variant, run):
                    continue
                while run[length - 1] in JOINERS:  # "consumer law and | on GDPR": the "and" starts the next name
                    length -= 1
                if length > best_length:
                    best, best_length = {slug}, length
                elif length == best_length:
                    best.add(slug)
                break
    return (best.pop(), best_length) if len(best) == 1 else (None, best_length)


def contains(sequence, run):
    return any(sequence[i : i + len(run)] == run for i in range(len(sequence) - len(run) + 1))


def resolve(phrase, plural, names):
    """Module slugs a phrase such as "online marketing channels and paid search" names, and any part left unnamed."""
    words, found = tokens(phrase), []
    while words:
        while words and words[0] in JOINERS:
            words = words[1:]
        slug, length = longest_match(words, names) if words else (None, 0)
        if slug is None:
            return found, " ".join(words) if not found else ""
        found.append(slug)
        words = words[length:] if plural else []
        if words and words[0] not in LIST_LINKS:  # "... and paid search cover the detail": the list has ended
            break
    return found, ""


def references(source, modules):
    """Slugs of the modules `source` refers to, and the references that name no module."""
    return references_in(body_text(source), [m for m in modules if m.slug != source.slug])


def references_in(text, modules):
    names = module_names(modules)
    text = re.sub(r"\s+", " ", text)
    found, unresolved = set(), []
    for kind, phrase in REFERENCE.findall(text):
        slugs, rest = resolve(phrase, kind.lower() == "modules", names)
        found.update(slugs)
        if rest:
            unresolved.append(f"module on {phrase.strip()}")
    areas = {m.area for m in modules}
    for area in AREA_REFERENCE.findall(text):
        matches = [a for a in areas if tokens(a.replace("-", " ")) == tokens(area)]
        found.update(m.slug for m in modules if m.area in matches)
    found.update(slug for slug in names if re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", text))
    return found, unresolved


def path_slugs(path):
    return {s if isinstance(s, str) else s["slug"] for stage in path.data["stages"] for s in stage["modules"]}


def capstones(curriculum):
    return [m for m in curriculum.modules if "capstone" in (m.data.get("tags") or [])]


def test_references_are_read_from_module_prose(curriculum):
    text = (
        "Start with the question the module on business models asks, and click and collect as in the module on\n"
        "cross-channel retail. The modules on online marketing channels and paid search cover the detail; the\n"
        "payments modules explain the options. The modules on consumer law and on GDPR cover each point, and\n"
        "the make-or-buy logic in the module on building the team. See also `ab-testing`."
    )
    found, unresolved = references_in(text, curriculum.modules)
    assert found == {
        "ecommerce-business-models",
        "cross-channel-and-stores",
        "online-marketing-channels",
        "paid-search",
        "payment-methods-and-providers",
        "sca-fraud-and-chargebacks",
        "consumer-law-and-legal-notices",
        "gdpr-consent-and-cookies",
        "building-the-ecommerce-team",
        "ab-testing",
    }
    assert not unresolved
    assert references_in("The module on quantum bookkeeping covers it.", curriculum.modules)[1]


def test_a_capstone_builds_only_on_modules_in_its_path(curriculum):
    problems, checked = [], 0
    for capstone in capstones(curriculum):
        found, unresolved = references(capstone, curriculum.modules)
        problems += [f"{capstone.file}: cannot tell which module '{u}' means" for u in unresolved]
        for path in curriculum.paths:
            slugs = path_slugs(path)
            if capstone.slug not in slugs:
                continue
            checked += 1
            problems += [
                f"{path.file}: its capstone {capstone.slug} builds on {s}, which is not in the path"
                for s in sorted(found - slugs)
            ]
    assert checked, "no path holds a module tagged capstone"
    assert not problems, "\n".join(problems)


def duty_rows():
    """(role cell, duty, module slugs, path slugs) for each row of the duty table in content/README.md."""
    readme = (CONTENT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Roles, duties and paths", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and "`" in cells[2]:
            rows.append(
                (cells[0], cells[1], re.findall(r"`([a-z0-9-]+)`", cells[2]), re.findall(r"`([a-z0-9-]+)`", cells[3]))
            )
    return rows


def test_each_duty_in_the_readme_table_is_taught_in_the_paths_it_names(curriculum):
    rows = duty_rows()
    assert len(rows) >= 40, "the duty table in content/README.md is missing or short"
    paths = {p.slug: path_slugs(p) for p in curriculum.paths}
    modules = {m.slug for m in curriculum.modules}
    problems = []
    for role, duty, module_list, path_list in rows:
        own_path = re.findall(r"`([a-z0-9-]+)`", role)
        if not own_path or own_path[0] not in path_list:
            problems.append(f"{duty}: the role's own path {own_path} is not among {path_list}")
        problems += [f"{duty}: unknown module {m}" for m in module_list if m not in modules]
        problems += [f"{duty}: unknown path {p}" for p in path_list if p not in paths]
        problems += [
            f"{duty}: {m} is not in path {p}"
            for p in path_list
            if p in paths
            for m in module_list
            if m in modules and m not in paths[p]
        ]
    assert not problems, "\n".join(problems)


def test_every_role_the_sources_name_has_duties_in_the_table():
    roles = {re.findall(r"`([a-z0-9-]+)`", role)[0] for role, *_ in duty_rows()}
    assert roles >= {
        "ecommerce-manager",
        "marketplace-manager",
        "category-manager",
        "customer-service-manager",
        "shop-manager",
        "content-and-campaign-strategist",
        "ux-designer",
        "data-evangelist",
    }


def test_the_ecommerce_manager_and_shop_manager_paths_carry_the_duties_issue_17_names(curriculum):
    paths = {p.slug: path_slugs(p) for p in curriculum.paths}
    assert {
        "assortment-and-pricing",
        "returns-management",
        "product-pages-images-and-trust",
        "ab-testing",
        "usability-testing-and-accessibility",
        "process-analysis-and-time-to-shelf",
        "consistent-data-and-automation",
        "projects-budgets-and-communication",
        "market-and-customer-research",
        "customer-acquisition-and-retention",
    } <= paths["ecommerce-manager"]
    assert {"tracking-kpis-and-dashboards", "gdpr-consent-and-cookies", "recommendations-automation-and-ai"} <= paths[
        "shop-manager"
    ]
