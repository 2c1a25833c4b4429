"""Access channels: the routes by which an actor reaches a target state or institution.

Routes are simple paths in the directed *access graph*: an ``access_channel`` tie runs from its
user to the actor it reaches; affiliation, partnership, memorandum, funding, membership, hosting and
secondment ties run both ways (allies can act for each other); a ``parent`` link runs from a unit
to the government it belongs to and a ``national`` link from the top of a chain to its country's
national government. Every path is typed (Takao's three loci of access):

* ``local_diplomacy`` — it passes through a foreign local or regional government and then through
  that country's national level (Kitakyushu -> Dalian -> Beijing), or reaches a foreign target
  without passing through the origin's own state (direct transnational contact);
* ``boomerang`` — it goes abroad (foreign states, international bodies, foreign NGOs) and comes
  back to a target in the origin's own country;
* ``conventional`` — it stays at home up to the origin's own national level (and from there, if the
  target is foreign, goes state to state).

Paths are scored by the product of their hop weights (a recorded access tie counts most, an
inferred national link least), times :data:`HOP_DECAY` for every hop after the first (a longer
route is harder to use), and raised by a quarter when a coalition event records the same channel
among the path's actors. Every hop lists the ties or links that support it with sources.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select

from paradiplomacy.analysis.network_graph import NetworkError, NetworkGraph, load_network
from paradiplomacy.resolve.find import ActorNotFound, find_actor
from paradiplomacy.store.profile import citations
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor, Coalition, CoalitionEvent

__all__ = ["HOP_DECAY", "HOP_WEIGHTS", "ChannelReport", "NoSuchTarget", "access_channels", "resolve_target"]

HOP_WEIGHTS: dict[str, float] = {
    "access_channel": 1.0,
    "sister": 0.8,
    "friendship": 0.8,
    "partnership": 0.8,
    "memorandum": 0.8,
    "business_partner": 0.7,
    "purpose_specific": 0.7,
    "funding": 0.6,
    "coalition_membership": 0.6,
    "network_membership": 0.5,
    "membership": 0.5,
    "hosting": 0.5,
    "secondment": 0.6,
    "parent": 0.7,
    "national": 0.5,
    "coalition_member": 0.6,
}
"""Weight of a hop by the kind of link that supports it (unlisted kinds count 0.5)."""
HOP_DECAY = 0.85
"""Factor applied to a route's score for every hop after the first."""
_ONE_WAY = {"access_channel", "parent", "national"}
_STATE_LEVEL = "national"
_CC = re.compile(r"^[A-Za-z]{2}$")
_MAX_PATHS = 5_000
"""Most routes scored per request (the shortest first)."""


class NoSuchTarget(ActorNotFound):
    """A target that names no actor or country."""


@dataclass
class ChannelReport:
    """The ranked channels from ``origin`` to ``target``, or the reason there is none."""

    origin: dict[str, Any]
    target: dict[str, Any]
    channels: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None
    searched: int = 0
    truncated: bool = False

    def frame(self) -> pd.DataFrame:
        """One row per channel: rank, type, score, hops and the route as text."""
        rows = [
            {
                "rank": c["rank"],
                "type": c["type"],
                "score": c["score"],
                "hops": len(c["hops"]),
                "route": " -> ".join([c["hops"][0]["from_name"], *(h["to_name"] for h in c["hops"])]),
                "corroborated": c["corroborated"],
            }
            for c in self.channels
        ]
        return pd.DataFrame(rows, columns=["rank", "type", "score", "hops", "route", "corroborated"])

    def to_frame(self) -> pd.DataFrame:
        """The result as a table (:meth:`frame`), as every result class of the library offers."""
        return self.frame()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "origin": self.origin,
            "target": self.target,
            "channels": self.channels,
            "reason": self.reason,
            "routes_scored": self.searched,
            "truncated": self.truncated,
        }


def resolve_target(registry: Registry, ref: str) -> int:
    """Actor id of a target: a country code (``CN`` = its national government) or any actor ref."""
    if _CC.match(ref.strip()):
        with registry.reader() as session:
            key = f"{ref.strip().lower()}-gov"
            state = session.scalar(select(Actor.id).where(Actor.key == key))
        if state is not None:
            return state
    try:
        return find_actor(registry, ref)
    except ActorNotFound as error:
        raise NoSuchTarget(ref, f"target {ref!r}: {error.reason}", error.candidates) from None


def access_channels(
    registry: Registry,
    origin: str,
    target: str,
    *,
    max_hops: int = 4,
    limit: int = 10,
    country: str | None = None,
) -> ChannelReport:
    """Ranked access channels from ``origin`` (actor or coalition) to ``target`` (state or actor).

    Names are resolved as ``search`` does; ``country`` narrows an ambiguous origin. Raises
    ``ActorNotFound``/:class:`NoSuchTarget` for unknown names and :class:`NetworkError` for bad
    options or an origin equal to the target; a target that cannot be reached gives a report with
    no channels and a ``reason``.
    """
    if not 1 <= max_hops <= 8:
        raise NetworkError("--max-hops must be between 1 and 8")
    if limit < 1:
        raise NetworkError("--limit must be at least 1")
    net = load_network(registry)
    vertex = net.vertex_of
    start = _origin_key(registry, vertex, origin, country)
    target_id = resolve_target(registry, target)
    with registry.reader() as session:
        target_key = session.scalar(select(Actor.key).where(Actor.id == target_id))
        report = ChannelReport(
            _describe_key(session, net, vertex, start), _describe_key(session, net, vertex, target_key)
        )
        if start == target_key:
            raise NetworkError(
                f"origin and target are the same actor ({target_key}); a channel needs two different actors"
            )
        if start not in vertex or target_key not in vertex:
            missing = start if start not in vertex else target_key
            report.reason = (
                f"no channel: {_name(net, vertex, missing)} holds no tie, membership "
                "or place in the registry's network"
            )
            return report
        links = _links(net, from_coalition=vertex[start])
        paths = _paths(links, vertex[start], vertex[target_key], max_hops, _descent(net.nodes))
        if not paths:
            report.reason = _why_not(net, links, vertex[start], vertex[target_key], max_hops)
            return report
        events = _events(session)
        home = _home(net, vertex[start])
        scorer = _Scorer(net, links, events, home)
        ranked = sorted((scorer.rank(path) for path in paths), key=lambda r: (-r[0], len(r[4]), r[1]))
        channels = [scorer.detail(rank, *row) for rank, row in enumerate(ranked[:limit], 1)]
        _cite(session, net, channels)
    report.channels = channels
    report.searched, report.truncated = len(paths), len(paths) >= _MAX_PATHS
    return report


def _origin_key(registry: Registry, vertex: dict[str, int], ref: str, country: str | None) -> str:
    """Node key of the origin: a coalition (by key or name), else an actor."""
    with registry.reader() as session:
        coalition = session.scalar(
            select(Coalition.key).where((Coalition.key == ref) | (Coalition.name == ref))
        )
        if coalition is not None and f"coalition:{coalition}" in vertex:
            return f"coalition:{coalition}"
        actor = find_actor(registry, ref, country=country)
        return session.scalar(select(Actor.key).where(Actor.id == actor))


def _links(net: NetworkGraph, *, from_coalition: int) -> dict[int, dict[int, list[int]]]:
    """Adjacency of the access graph: ``links[u][v]`` = edge rows supporting the hop u -> v."""
    links: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for row, (u, v, kind) in enumerate(
        zip(net.edges["source"], net.edges["target"], net.edges["kind"], strict=True)
    ):
        if kind == "coalition_member":
            if v == from_coalition:  # a coalition acts through its members
                links[v][u].append(row)
            continue
        links[u][v].append(row)
        if kind not in _ONE_WAY:
            links[v][u].append(row)
    return links


def _paths(
    links: dict[int, dict[int, list[int]]],
    start: int,
    goal: int,
    max_hops: int,
    descends: Callable[[int, int], bool] | None = None,
) -> list[list[int]]:
    """Simple paths start -> goal of at most ``max_hops`` hops (pruned by distance to goal).

    ``descends(u, v)`` forbids a hop (used to keep a route from dropping back down from a
    national government to a lower body of its own country, a detour that adds no access).
    """
    reverse: dict[int, list[int]] = defaultdict(list)
    for u, targets in links.items():
        for v in targets:
            reverse[v].append(u)
    distance = {goal: 0}
    queue = deque([goal])
    while queue:
        node = queue.popleft()
        if distance[node] >= max_hops:
            continue
        for previous in reverse[node]:
            if previous not in distance:
                distance[previous] = distance[node] + 1
                queue.append(previous)
    found: list[list[int]] = []
    path = [start]

    def walk(node: int, cutoff: int) -> None:
        if len(found) >= _MAX_PATHS:
            return
        if node == goal:
            if len(path) == cutoff + 1:
                found.append(list(path))
            return
        for nxt in links.get(node, {}):
            if nxt in path or distance.get(nxt, max_hops + 1) + len(path) > cutoff:
                continue
            if descends is not None and descends(node, nxt):
                continue
            path.append(nxt)
            walk(nxt, cutoff)
            path.pop()

    if start in distance:  # shortest routes first, so a capped search keeps the short ones
        for cutoff in range(distance[start], max_hops + 1):
            walk(start, cutoff)
    return found


def _descent(nodes: pd.DataFrame) -> Callable[[int, int], bool]:
    level, country = nodes["level"].to_numpy(), nodes["country"].to_numpy()

    def descends(u: int, v: int) -> bool:
        return (
            level[u] == _STATE_LEVEL
            and level[v] != _STATE_LEVEL
            and country[u] is not None
            and country[u] == country[v]
        )

    return descends


def _why_not(
    net: NetworkGraph, links: dict[int, dict[int, list[int]]], start: int, goal: int, max_hops: int
) -> str:
    """Why there is no channel: different components, ties the wrong way, or too far."""
    origin, target = net.nodes.at[start, "name"], net.nodes.at[goal, "name"]
    membership = net.simple().connected_components().membership
    if membership[start] != membership[goal]:
        return (
            f"no channel: no chain of ties of any kind links {origin} and {target} "
            "(they lie in different components of the network)"
        )
    seen, frontier, hops = {start}, [start], 0
    while frontier and goal not in seen:
        hops += 1
        frontier = [v for u in frontier for v in links.get(u, {}) if v not in seen]
        seen.update(frontier)
    if goal in seen:
        return (
            f"no channel within {max_hops} hops: the shortest route from {origin} to "
            f"{target} takes {hops} hops (raise --max-hops to see it)"
        )
    return (
        f"no channel: none of the {len(seen) - 1} actors {origin} can reach holds a tie "
        f"leading to {target}; they are connected only through links that run the other "
        "way (a national government down to its units, or access ties used by others)"
    )


def _events(session: Any) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            Coalition.key,
            CoalitionEvent.date,
            CoalitionEvent.title,
            CoalitionEvent.channel,
            CoalitionEvent.actor_ids,
        ).join(Coalition, Coalition.id == CoalitionEvent.coalition_id)
    )
    return [
        {"coalition": key, "date": date, "title": title, "channel": channel, "actors": set(actor_ids or [])}
        for key, date, title, channel, actor_ids in rows
        if channel and channel != "none"
    ]


class _Scorer:
    """Scores and types routes with plain lists (fast), then details the few that are shown."""

    def __init__(
        self,
        net: NetworkGraph,
        links: dict[int, dict[int, list[int]]],
        events: list[dict[str, Any]],
        home: str | None,
    ) -> None:
        self.net, self.links, self.events, self.home = net, links, events, home
        self.level = net.nodes["level"].tolist()
        self.country = [c if isinstance(c, str) else None for c in net.nodes["country"]]
        self.ids = [int(i) if pd.notna(i) else None for i in net.nodes["id"]]
        self.kinds = net.edges["kind"].tolist()

    def weight(self, u: int, v: int) -> float:
        return max(HOP_WEIGHTS.get(self.kinds[r], 0.5) for r in self.links[u][v])

    def rank(self, path: list[int]) -> tuple[float, str, bool, list[dict[str, Any]], list[int]]:
        kind = _type(self.level, self.country, path, self.home)
        score = HOP_DECAY ** (len(path) - 2)
        for u, v in itertools.pairwise(path):
            score *= self.weight(u, v)
        evidence = [
            {k: e[k] for k in ("coalition", "date", "title", "channel")}
            for e in self.events
            if self._involves(path, e)
        ]
        corroborated = any(e["channel"] == kind for e in evidence)
        return (round(score * (1.25 if corroborated else 1.0), 4), kind, corroborated, evidence, path)

    def detail(
        self,
        rank: int,
        score: float,
        kind: str,
        corroborated: bool,
        evidence: list[dict[str, Any]],
        path: list[int],
    ) -> dict[str, Any]:
        nodes = self.net.nodes
        hops = [
            {
                "from": nodes.at[u, "key"],
                "to": nodes.at[v, "key"],
                "from_name": nodes.at[u, "name"],
                "to_name": nodes.at[v, "name"],
                "weight": self.weight(u, v),
                "support": [_support(self.net, r, u) for r in self.links[u][v]],
            }
            for u, v in itertools.pairwise(path)
        ]
        return {
            "rank": rank,
            "type": kind,
            "score": score,
            "corroborated": corroborated,
            "hops": hops,
            "events": evidence,
        }

    def _involves(self, path: list[int], event: dict[str, Any]) -> bool:
        """Whether an event is about this route: the origin and another actor of it take part
        (for a coalition origin: an event of that coalition with an actor of the route)."""
        actors = event["actors"]
        if not any(self.ids[n] in actors for n in path[1:]):
            return False
        origin = path[0]
        if self.ids[origin] is None:
            return self.net.nodes.at[origin, "key"] == f"coalition:{event['coalition']}"
        return self.ids[origin] in actors


def _type(level: list[str], country: list[str | None], path: list[int], home: str | None) -> str:
    """Type a path as local_diplomacy, boomerang or conventional (see the module docstring)."""
    middle = path[1:-1]
    goal = path[-1]
    for position, node in enumerate(middle):
        if level[node] in ("local", "regional") and country[node] not in (None, home):
            later = path[position + 2 :]
            if any(level[n] == _STATE_LEVEL and country[n] == country[node] for n in later):
                return "local_diplomacy"
    abroad = [n for n in middle if country[n] != home or level[n] in ("international",)]
    if country[goal] == home:
        return "boomerang" if abroad else "conventional"
    via_state = any(level[n] == _STATE_LEVEL and country[n] == home for n in middle)
    return "conventional" if via_state else "local_diplomacy"


def _home(net: NetworkGraph, origin: int) -> str | None:
    """The origin's country (for a coalition, the country most of its members share)."""
    if net.nodes.at[origin, "kind"] != "coalition":
        return net.nodes.at[origin, "country"]
    members = net.edges.loc[net.edges["target"] == origin, "source"]
    countries = net.nodes.loc[members, "country"].dropna()
    return countries.mode().iat[0] if len(countries) else None


def _support(net: NetworkGraph, row: int, frm: int) -> dict[str, Any]:
    edge = net.edges.loc[row]
    out = {
        "link": edge["kind"],
        "layer": edge["layer"],
        "record": int(edge["record"]),
        "reversed": bool(int(edge["source"]) != frm),
    }
    for name in ("role", "start", "end"):
        if isinstance(edge.get(name), str) and edge[name]:
            out[name] = edge[name]
    return out


def _cite(session: Any, net: NetworkGraph, channels: list[dict[str, Any]]) -> None:
    """Attach the sources of every supporting tie, membership or actor record."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for channel in channels:
        for hop in channel["hops"]:
            for item in hop["support"]:
                wanted[_entity(item)].add(item["record"])
    found = {entity: citations(session, entity, ids) for entity, ids in wanted.items()}
    for channel in channels:
        for hop in channel["hops"]:
            for item in hop["support"]:
                item["sources"] = found[_entity(item)].get(item["record"], [])


def _entity(item: dict[str, Any]) -> str:
    return {"tie": "tie", "coalition_member": "coalition_member"}.get(item["layer"], "actor")


def _describe(net: NetworkGraph, vertex: dict[str, int], key: str) -> dict[str, Any]:
    if key in vertex:
        row = net.nodes.loc[vertex[key]]
        return {"key": key, "name": row["name"], "kind": row["kind"], "country": row["country"]}
    return {"key": key, "name": key, "kind": None, "country": None}


def _describe_key(session: Any, net: NetworkGraph, vertex: dict[str, int], key: str) -> dict[str, Any]:
    if key in vertex:
        return _describe(net, vertex, key)
    actor = session.scalar(select(Actor).where(Actor.key == key))
    return {"key": key, "name": actor.label, "kind": actor.kind, "country": actor.country}


def _name(net: NetworkGraph, vertex: dict[str, int], key: str) -> str:
    return net.nodes.at[vertex[key], "name"] if key in vertex else key
