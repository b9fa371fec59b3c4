"""What the team page needs to know of every member before it can show 50 of them: each one's status
(their most urgent assigned path's), progress, last activity and name, in every order the page sorts
by, and the team's totals per path.

Statuses come from the one rule (progress.summarise, progress.assignment_status) over every member in
bulk: 7 queries whatever the team size, then a pass over the assignments, the one cost that grows
with the team (about 2.5 s at 5,000 members on SQLite, a few ms at 50). So the result, a few numbers
a member, is kept for FACTS_SECONDS in the "pages" cache, keyed on what changes it: the day, the
curriculum version, the members' count, ids and summed progress_version (which every learner write
and membership change bumps, learning/records/learner_state.py), and a generation the team page's
own writes move on. A page then reads it back (about 5 ms at 5,000: flat tuples, paths packed in
bytes, the orders precomputed) and builds only its own 50 rows.
"""

from array import array
from typing import NamedTuple

from django.core.cache import caches
from django.db.models import Count, Max, Sum

from learning.catalogue.caching import curriculum_version
from learning.records import progress
from learning.records.models import Enrolment, ModuleProgress, QuizAttempt

RANKS = {status: rank for rank, status in enumerate(progress.STATUS_ORDER)}
NOTHING_ASSIGNED = len(progress.STATUS_ORDER)  # members without an assigned path come last
FACTS_SECONDS = 60


class MemberFacts(NamedTuple):
    """One member: name as sorted (lower case), last activity (a timestamp, or None), the rank of their
    most urgent status (NOTHING_ASSIGNED for none), their mean percent (-1 for none, so they sort
    first), and their assigned paths packed as (path id, rank, percent) int triples."""

    id: int
    name: str
    last_activity: float
    rank: int
    share: float
    packed: bytes

    @property
    def paths(self):
        """[(path id, rank, percent)] of their assigned paths."""
        values = array("i")
        values.frombytes(self.packed)
        return list(zip(values[0::3], values[1::3], values[2::3], strict=True))

    def rank_in(self, path_id):
        return next((rank for pid, rank, _percent in self.paths if pid == path_id), NOTHING_ASSIGNED)

    def share_in(self, path_id):
        return next((percent for pid, _rank, percent in self.paths if pid == path_id), -1)


class TeamFacts(NamedTuple):
    members: list  # [MemberFacts]
    orders: dict  # {sort: array of indexes into members}, for the whole team
    path_ids: frozenset  # every path assigned to a member
    summary: dict  # {member rank: {path id: (assigned, done, overdue, percent total)}}


SORT_KEYS = {
    "status": lambda m: (m.rank, m.name, m.id),
    "name": lambda m: (m.name, m.id),
    "progress": lambda m: (m.share, m.name, m.id),  # least done first: who needs attention
    # never active first, then the quietest longest
    "activity": lambda m: (m.last_activity is not None, m.last_activity or 0, m.name, m.id),
}


def _generation_key(team):
    return f"academy:team:{team.pk}:generation"


def team_changed(team):
    """Called after the team page's own writes (assign, unassign): the next page sees them at once,
    whatever the learner-state versions say."""
    cache = caches["pages"]
    try:
        cache.incr(_generation_key(team))
    except ValueError:
        cache.set(_generation_key(team), 1, timeout=None)


def _fingerprint(team):
    """The members and their state versions: 1 query over the team's membership rows."""
    members = team.members.aggregate(n=Count("id"), ids=Sum("id"), versions=Sum("progress_version"))
    return "{n}.{ids}.{versions}".format(**members)


def state_key(team, *, today):
    """What everything the team page shows of its members depends on: the day, the curriculum, the members
    and their state versions, the team page's own writes. 2 queries, once per request (kept on `team`)."""
    if getattr(team, "_state_key", None) is None:
        generation = caches["pages"].get(_generation_key(team), 0)
        team._state_key = f"{team.pk}:{today}:{curriculum_version()}:{_fingerprint(team)}:{generation}"
    return team._state_key


def team_facts(team, *, today):
    """TeamFacts, kept per team state: 2 queries when kept (state_key), 7 more when computed."""
    cache = caches["pages"]
    key = f"academy:team-facts:{state_key(team, today=today)}"
    facts = cache.get(key)
    if facts is None:
        facts = compute(team, today=today)
        cache.set(key, facts, timeout=FACTS_SECONDS)
    return facts


def _assignments(member_ids, *, today):
    """{user id: [(path id, rank, percent)]} of every assigned path, by the progress rules."""
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
    found = {}
    for user_id, path_id, due_date in enrolments:
        result = progress.summarise(steps.get(path_id, []), states.get(user_id, {}))
        status = progress.assignment_status(result, due_date=due_date, today=today)
        found.setdefault(user_id, []).append((path_id, RANKS[status], result.percent))
    return found


def _last_activity(member_ids):
    """{user id: timestamp of their latest module visit or quiz attempt}, as reports.Row has it."""
    last = {}
    for rows in (
        ModuleProgress.objects.filter(user__in=member_ids).values("user_id").annotate(last=Max("last_seen_at")),
        QuizAttempt.objects.filter(user__in=member_ids).values("user_id").annotate(last=Max("submitted_at")),
    ):
        for user_id, when in rows.values_list("user_id", "last"):
            if when is not None:
                last[user_id] = max(last.get(user_id, 0), when.timestamp())
    return last


def path_sums(members):
    """{path id: (assigned, done, overdue, percent total)} over these members' assigned paths."""
    done, overdue = RANKS[progress.DONE], RANKS[progress.OVERDUE]
    sums = {}
    for member in members:
        for path_id, rank, percent in member.paths:
            n, d, o, total = sums.get(path_id, (0, 0, 0, 0))
            sums[path_id] = (n + 1, d + (rank == done), o + (rank == overdue), total + percent)
    return sums


def compute(team, *, today):
    member_ids = team.members.values("id")
    assignments = _assignments(member_ids, today=today)
    last = _last_activity(member_ids)
    members = []
    for pk, display, first, last_name, username in team.members.values_list(
        "id", "display_name", "first_name", "last_name", "username"
    ):
        name = (display or " ".join(filter(None, [first, last_name])) or username).lower()
        own = assignments.get(pk, [])
        rank = min((r for _p, r, _c in own), default=NOTHING_ASSIGNED)
        share = sum(c for _p, _r, c in own) / len(own) if own else -1
        packed = array("i", [value for triple in own for value in triple]).tobytes()
        members.append(MemberFacts(pk, name, last.get(pk), rank, share, packed))
    orders = {
        sort: array("i", sorted(range(len(members)), key=lambda i, key=key: key(members[i])))
        for sort, key in SORT_KEYS.items()
    }
    by_rank = {}
    for member in members:
        by_rank.setdefault(member.rank, []).append(member)
    summary = {rank: path_sums(ranked) for rank, ranked in by_rank.items()}
    path_ids = frozenset(pid for member in members for pid, _r, _c in member.paths)
    return TeamFacts(members=members, orders=orders, path_ids=path_ids, summary=summary)
