"""The team page at any size: which members a manager sees (status, path, name), in what order
(status, name, progress, last activity), 50 a page, and the counts above them.

Every member's status comes from the one rule (progress.summarise, progress.assignment_status), in
bulk: 5 queries whatever the team size, then a pass over the assignments. That pass is the only
part that grows with the team (about 0.1 s at 5,000 members), so its result, a few numbers per
member, is kept per team for FACTS_SECONDS in the "pages" cache and keyed on what changes it: the
day, the curriculum version, the members and their progress_version (accounts.User), and a
generation the team page's own writes (assign, unassign) move on. A page then costs a lookup, a
sort of small tuples and the 50 rows it shows (reports.team_matrix for those members only).
Stating the rule again in SQL was measured slower (0.47 ms a member on SQLite: bench/RESULTS.md).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import Count, Max, Sum
from django.utils import timezone

from learning.accounts.models import User
from learning.catalogue.caching import curriculum_version
from learning.catalogue.models import PathPage
from learning.records import progress
from learning.records.models import Enrolment, ModuleProgress, QuizAttempt
from learning.teams import reports

RANKS = {status: rank for rank, status in enumerate(progress.STATUS_ORDER)}
NOTHING_ASSIGNED = len(progress.STATUS_ORDER)  # members without an assigned path come last
PAGE_SIZE = 50
SORTS = ("status", "name", "progress", "activity")
FACTS_SECONDS = 60  # how stale counts and order may be if a write bypassed progress_version


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
class MemberFacts:
    """What sorting and filtering need of one member: {path id: (status rank, percent)} of their
    assigned paths, their name as sorted, and their last activity."""

    id: int
    name: str
    last_activity: object
    paths: dict = field(default_factory=dict)

    def rank(self, path_id=None):
        """The most urgent status's rank over their paths (or of one path); NOTHING_ASSIGNED if none."""
        if path_id is not None:
            return self.paths[path_id][0] if path_id in self.paths else NOTHING_ASSIGNED
        return min((rank for rank, _percent in self.paths.values()), default=NOTHING_ASSIGNED)

    def share(self, path_id=None):
        """Mean percent over their paths (or one path's); -1 for none, so they sort first."""
        percents = [p for pid, (_r, p) in self.paths.items() if path_id is None or pid == path_id]
        return sum(percents) / len(percents) if percents else -1


def _generation_key(team):
    return f"academy:team:{team.pk}:generation"


def team_changed(team):
    """Called after the team page's own writes (assign, unassign): the next page sees them at once."""
    cache = caches["pages"]
    try:
        cache.incr(_generation_key(team))
    except ValueError:
        cache.set(_generation_key(team), 1, timeout=None)


def _fingerprint(team):
    """The members and their state versions: 1 query over the team's membership rows."""
    members = team.members.aggregate(n=Count("id"), ids=Sum("id"), versions=Sum("progress_version"))
    return "{n}.{ids}.{versions}".format(**members)


def team_facts(team, *, today):
    """[MemberFacts] for every member, kept FACTS_SECONDS per team state. 2 queries when kept
    (version, fingerprint; the generation is a cache read), 7 more when computed."""
    cache = caches["pages"]
    generation = cache.get(_generation_key(team), 0)
    key = f"academy:team-facts:{team.pk}:{today}:{curriculum_version()}:{_fingerprint(team)}:{generation}"
    facts = cache.get(key)
    if facts is None:
        facts = _compute_facts(team, today=today)
        cache.set(key, facts, timeout=FACTS_SECONDS)
    return facts


def _compute_facts(team, *, today):
    member_ids = team.members.values("id")
    members = {
        pk: MemberFacts(
            id=pk, name=(display or " ".join(filter(None, [first, last])) or username).lower(), last_activity=None
        )
        for pk, display, first, last, username in team.members.values_list(
            "id", "display_name", "first_name", "last_name", "username"
        )
    }
    enrolments = list(
        Enrolment.objects.filter(user__in=member_ids, source=Enrolment.ASSIGNED).values_list(
            "user_id", "path_id", "due_date"
        )
    )
    steps = progress.steps_by_path({path_id for _user, path_id, _due in enrolments})
    states = {}
    for user_id, module_id, state in ModuleProgress.objects.filter(user__in=member_ids).values_list(
        "user_id", "module_id", "state"
    ):
        states.setdefault(user_id, {})[module_id] = state
    for user_id, path_id, due_date in enrolments:
        result = progress.summarise(steps.get(path_id, []), states.get(user_id, {}))
        status = progress.assignment_status(result, due_date=due_date, today=today)
        members[user_id].paths[path_id] = (RANKS[status], result.percent)
    for rows in (
        ModuleProgress.objects.filter(user__in=member_ids).values("user_id").annotate(last=Max("last_seen_at")),
        QuizAttempt.objects.filter(user__in=member_ids).values("user_id").annotate(last=Max("submitted_at")),
    ):
        for row in rows.values_list("user_id", "last"):
            member = members[row[0]]
            member.last_activity = max(filter(None, [member.last_activity, row[1]]))
    return list(members.values())


def _sort_key(sort, path_id):
    if sort == "name":
        return lambda m: (m.name, m.id)
    if sort == "progress":  # least done first: who needs attention
        return lambda m: (m.share(path_id), m.name, m.id)
    if sort == "activity":  # quiet the longest first, never active before all
        return lambda m: (m.last_activity is not None, m.last_activity or 0, m.name, m.id)
    return lambda m: (m.rank(path_id), m.name, m.id)


@dataclass
class Selected:
    members: list  # [MemberFacts] in the selection's order
    counts: dict  # {status: members whose most urgent status it is}, before the status filter
    path_ids: set  # paths assigned to anyone selected


def select(facts, selection):
    """The members the selection names, in its order: the path filter keeps those assigned the path
    (and reads statuses of it alone), the name search narrows, the status filter keeps members whose
    most urgent status it is; the counts are taken before it, so each links to its own filter."""
    path_id, needle = selection.path_id, selection.q.lower()
    members = [m for m in facts if (path_id is None or path_id in m.paths) and (not needle or needle in m.name)]
    counts = dict.fromkeys(progress.STATUS_ORDER, 0)
    for member in members:
        rank = member.rank(path_id)
        if rank < NOTHING_ASSIGNED:
            counts[progress.STATUS_ORDER[rank]] += 1
    if selection.status:
        members = [m for m in members if m.rank(path_id) == RANKS[selection.status]]
    members.sort(key=_sort_key(selection.sort, path_id))
    path_ids = {pid for m in members for pid in m.paths} if path_id is None else {path_id}
    return Selected(members=members, counts=counts, path_ids=path_ids)


def paths_in_language(path_ids, language):
    """The paths (the English pages records name) in catalogue order, each with `shown_title` in
    `language` where a live translation exists, else the English title with `shown_lang` "en" for
    its lang attribute. 1 query, 2 in German or Polish."""
    paths = sorted(PathPage.objects.in_bulk(path_ids).values(), key=lambda path: (path.order, path.title))
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
    summary = {path.pk: reports.PathSummary(path=path) for path in paths}
    done, overdue = RANKS[progress.DONE], RANKS[progress.OVERDUE]
    for member in selected.members:
        for path_id, (rank, percent) in member.paths.items():
            totals = summary.get(path_id)
            if totals is not None:
                totals.assigned += 1
                totals.done += rank == done
                totals.overdue += rank == overdue
                totals.percent_total += percent
    return [summary[path.pk] for path in paths]


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
    facts = team_facts(team, today=today)
    selected = select(facts, selection)
    every_path = {path_id for member in facts for path_id in member.paths}
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
