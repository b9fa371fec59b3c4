"""The team page at any size: which members a manager sees (status, path, name), in what order
(status, name, progress, last activity), 50 a page, the counts above them and the chart. Works on
member_facts.TeamFacts (every member's status by the progress rules, kept per team state), so a page
of a team of 5,000 filters and orders small tuples and builds only its own 50 rows
(reports.team_matrix for those members).
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.utils import timezone

from learning.accounts.models import User
from learning.catalogue.models import PathPage
from learning.teams import member_facts, reports
from learning.teams.member_facts import RANKS

PAGE_SIZE = 50
SORTS = ("status", "name", "progress", "activity")


@dataclass(frozen=True)
class Selection:
    """What the URL asks for (forms.DashboardFilterForm reads it): a status, a path, a name, the sort
    and the page. The exports and the area view take the same selection."""

    status: str = ""
    path: object = None
    q: str = ""
    sort: str = "status"
    page: int = 1
    all_paths: bool = False

    @property
    def path_id(self):
        return self.path.pk if self.path is not None else None


@dataclass
class Selected:
    members: list  # [MemberFacts] in the selection's order
    counts: dict  # {status: members whose most urgent status it is}, before the status filter
    path_ids: set  # paths assigned to anyone selected
    sums: dict  # {path id: (assigned, done, overdue, percent total)} over the selected members


def select(facts, selection):
    """The members the selection names, in its order: the path filter keeps those assigned the path
    (and reads statuses of it alone), the name search narrows, the status filter keeps members whose
    most urgent status it is; the counts are taken before it, so each links to its own filter. Without
    a path filter the team's precomputed order is kept, so nothing is sorted."""
    path_id, needle = selection.path_id, selection.q.lower()
    if path_id is None:
        members = [facts.members[i] for i in facts.orders[selection.sort]]
    else:
        members = [m for m in facts.members if path_id in {pid for pid, _r, _c in m.paths}]
        members.sort(key=_path_sort_key(selection.sort, path_id))
    if needle:
        members = [m for m in members if needle in m.name]
    rank_of = (lambda m: m.rank) if path_id is None else (lambda m: m.rank_in(path_id))
    ranks = Counter(map(rank_of, members))
    counts = {status: ranks.get(rank, 0) for status, rank in RANKS.items()}
    if selection.status:
        members = [m for m in members if rank_of(m) == RANKS[selection.status]]
    if path_id is None and not needle:  # the whole team, or one status of it: kept with the facts
        ranks = [RANKS[selection.status]] if selection.status else list(facts.summary)
        sums = _merged([facts.summary.get(rank, {}) for rank in ranks])
    else:
        sums = member_facts.path_sums(members)
        if path_id is not None:
            sums = {path_id: sums[path_id]} if path_id in sums else {}
    return Selected(members=members, counts=counts, path_ids=set(sums), sums=sums)


def _path_sort_key(sort, path_id):
    if sort == "status":
        return lambda m: (m.rank_in(path_id), m.name, m.id)
    if sort == "progress":
        return lambda m: (m.share_in(path_id), m.name, m.id)
    return member_facts.SORT_KEYS[sort]


def _merged(parts):
    sums = {}
    for part in parts:
        for path_id, totals in part.items():
            sums[path_id] = tuple(a + b for a, b in zip(sums.get(path_id, (0, 0, 0, 0)), totals, strict=True))
    return sums


def paths_in_language(path_ids, language):
    """The paths (the English pages records name) in catalogue order, titled by title_paths. 2 queries
    in German or Polish, 1 in English."""
    paths = sorted(PathPage.objects.in_bulk(path_ids).values(), key=lambda path: (path.order, path.title))
    return title_paths(paths, language)


def title_paths(paths, language):
    """Give each path `shown_title`, its live translation's title in `language` where there is one, else
    the English title with `shown_lang` "en" for its lang attribute (team_tags.path_title shows both).
    1 query in German or Polish, none in English."""
    default, titles = settings.LANGUAGE_CODE, {}
    if language != default and paths:
        titles = dict(
            PathPage.objects.live()
            .filter(translation_key__in=[path.translation_key for path in paths], locale__language_code=language)
            .values_list("translation_key", "title")
        )
    for path in paths:
        path.shown_title = titles.get(path.translation_key, path.title)
        path.shown_lang = default if language != default and path.translation_key not in titles else ""
    return paths


def chart(selected, paths):
    """reports.PathSummary per shown path over every selected member (not only this page's)."""
    return [reports.PathSummary(path, *selected.sums.get(path.pk, (0, 0, 0, 0))) for path in paths]


@dataclass
class Dashboard:
    selection: Selection
    selected: Selected
    page: object  # django.core.paginator.Page of MemberFacts
    matrix: object  # reports.Matrix of this page's members
    summary: list
    hidden_paths: int  # assigned in the team but to nobody selected


def dashboard(team, selection, *, with_scores, language, today=None):
    """The team page: the selection's members, counts, chart and one page of rows. Whatever the
    team size: the facts (2 queries kept, 9 computed), the paths (1-2), the page's users (1) and
    reports.team_matrix for them (6)."""
    today = today or timezone.localdate()
    facts = member_facts.team_facts(team, today=today)
    selected = select(facts, selection)
    every_path = facts.path_ids
    shown_ids = every_path if selection.all_paths else selected.path_ids
    paths = paths_in_language(every_path, language)
    shown = [path for path in paths if path.pk in shown_ids]
    page = Paginator(selected.members, PAGE_SIZE).get_page(selection.page)
    users = User.objects.in_bulk([member.id for member in page.object_list])
    page_users = [users[member.id] for member in page.object_list if member.id in users]
    matrix = reports.team_matrix(team, with_scores=with_scores, today=today, members=page_users, paths=shown)
    return Dashboard(
        selection=selection,
        selected=selected,
        page=page,
        matrix=matrix,
        summary=chart(selected, shown),
        hidden_paths=len(every_path) - len(shown),
    )
