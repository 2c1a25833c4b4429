"""An actor's neighbourhood in the network: listed as tables and drawn as PNG, SVG or PDF."""

from __future__ import annotations

import itertools
import random
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from paradiplomacy.analysis.network_graph import NetworkError, NetworkGraph, load_network
from paradiplomacy.resolve.find import find_actor
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor

__all__ = ["DRAW_FORMATS", "EgoNetwork", "draw_ego", "ego_network", "ego_of", "ego_title"]

DRAW_FORMATS = ("png", "svg", "pdf")
_COLOURS = {
    "national": "#d62728",
    "regional": "#ff7f0e",
    "local": "#1f77b4",
    "international": "#2ca02c",
    "non_state": "#9467bd",
    "coalition": "#8c564b",
}


@dataclass
class EgoNetwork:
    """The actor ``centre``, the nodes within ``depth`` links (``distance``) and their edges."""

    centre: str
    depth: int
    nodes: pd.DataFrame
    edges: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The actors of the neighbourhood, nearest and best connected first."""
        return self.nodes

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        clean = {
            name: frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
            for name, frame in (("nodes", self.nodes), ("edges", self.edges))
        }
        return {"centre": self.centre, "depth": self.depth, **clean}


def ego_network(
    registry: Registry,
    actor: str,
    *,
    depth: int = 1,
    country: str | None = None,
    vertical: bool = True,
    max_nodes: int = 500,
    as_of: str | None = None,
) -> EgoNetwork:
    """The neighbourhood of ``actor`` (name, key or code) up to ``depth`` links in any direction
    (``as_of``: on that date, see :func:`load_network`)."""
    actor_id = find_actor(registry, actor, country=country)
    net = load_network(registry, vertical=vertical, as_of=as_of)
    with registry.reader() as session:
        key = session.get(Actor, actor_id).key
    return ego_of(net, key, depth=depth, max_nodes=max_nodes)


def ego_of(net: NetworkGraph, key: str, *, depth: int = 1, max_nodes: int = 500) -> EgoNetwork:
    """The neighbourhood of node ``key`` in an already loaded network."""
    if not 1 <= depth <= 6:
        raise NetworkError("--depth must be between 1 and 6")
    vertex = net.vertex_of
    if key not in vertex:
        nodes = pd.DataFrame({"key": [key], "name": [key], "distance": [0]})
        return EgoNetwork(key, depth, nodes, net.edges.iloc[0:0].copy())
    graph = net.simple()
    distances = dict(zip(*_bfs(graph, vertex[key], depth), strict=True))
    if len(distances) > max_nodes:
        raise NetworkError(
            f"the neighbourhood of {key} at depth {depth} holds {len(distances):,} "
            f"actors (more than {max_nodes:,}); lower --depth"
        )
    nodes = net.nodes.loc[list(distances), ["key", "name", "kind", "level", "country", "type"]]
    nodes = nodes.assign(distance=[distances[v] for v in nodes.index], degree=graph.degree(list(distances)))
    inside = net.edges["source"].isin(distances) & net.edges["target"].isin(distances)
    edges = net.edges[inside].copy()
    edges["source_key"] = edges["source"].map(net.nodes["key"])
    edges["target_key"] = edges["target"].map(net.nodes["key"])
    edges = edges[["source_key", "target_key", "layer", "kind", "role", "start", "end", "record"]]
    return EgoNetwork(
        key,
        depth,
        nodes.sort_values(["distance", "degree"], ascending=[True, False]).reset_index(drop=True),
        edges.reset_index(drop=True),
    )


def draw_ego(ego: EgoNetwork, out: str | Path, *, seed: int = 0, labels: bool = True) -> Path:
    """Draw the neighbourhood to ``out`` (format from the suffix: .png, .svg or .pdf)."""
    import igraph as ig
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(out)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in DRAW_FORMATS:
        raise NetworkError(f"cannot draw to {path.name}: use a .png, .svg or .pdf file")
    if not path.parent.exists():
        raise NetworkError(f"directory {path.parent} does not exist")
    index = {k: i for i, k in enumerate(ego.nodes["key"])}
    pairs = [
        (index[s], index[t]) for s, t in zip(ego.edges["source_key"], ego.edges["target_key"], strict=True)
    ]
    graph = ig.Graph(n=len(index), edges=pairs)
    state = random.getstate()
    random.seed(seed)
    try:
        layout = graph.layout_fruchterman_reingold() if len(index) > 1 else ig.Layout([(0, 0)])
    finally:
        random.setstate(state)
    xy = layout.coords
    size = min(16, 6 + len(index) / 15)
    plt.rcParams["font.family"] = _fonts()
    figure, axes = plt.subplots(figsize=(size, size))
    _draw_edges(axes, xy, pairs, list(ego.edges["kind"]))
    levels = ego.nodes.get("level", pd.Series(["non_state"] * len(index))).fillna("non_state")
    colours = [_COLOURS.get(level, "#7f7f7f") for level in levels]
    sizes = [260 if d == 0 else 90 for d in ego.nodes["distance"]]
    axes.scatter(
        [p[0] for p in xy],
        [p[1] for p in xy],
        c=colours,
        s=sizes,
        zorder=2,
        edgecolors="white",
        linewidths=0.5,
    )
    if labels:
        for (x, y), name in zip(xy, ego.nodes["name"], strict=True):
            axes.annotate(
                textwrap.fill(str(name), 34),
                (x, y),
                fontsize=7,
                xytext=(4, 3),
                textcoords="offset points",
                annotation_clip=False,
                zorder=3,
            )
    for level, colour in _COLOURS.items():
        axes.scatter([], [], c=colour, label=level)
    figure.legend(loc="lower center", ncols=len(_COLOURS), fontsize=7, frameon=False)
    axes.margins(0.12)  # room for the labels of the outermost actors
    axes.set_title(
        f"{ego_title(ego)}: neighbourhood at depth {ego.depth} ({len(index)} actors, {len(pairs)} links)"
    )
    axes.set_axis_off()
    try:
        figure.savefig(path, format=suffix, bbox_inches="tight", dpi=150)
    except OSError as exc:
        raise NetworkError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        plt.close(figure)
    return path


def ego_title(ego: EgoNetwork) -> str:
    """The centre's name (``北九州市 Kitakyushu``), not its key; the key when it has no name."""
    row = ego.nodes[ego.nodes["key"] == ego.centre]
    name = row["name"].iloc[0] if not row.empty else None
    return str(name) if name and str(name) != ego.centre else ego.centre


def _fonts() -> list[str]:
    """DejaVu Sans, then a Japanese font when one is installed (for names in kanji and kana)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in ("DejaVu Sans", "IPAGothic", "IPAexGothic", "Noto Sans CJK JP") if f in installed] or [
        "sans-serif"
    ]


def _draw_edges(axes: Any, xy: list[list[float]], pairs: list[tuple[int, int]], kinds: list[str]) -> None:
    """Each link as a line; several links between the same two actors (three Kitakyūshū-Dalian
    ties) as arcs bent apart, each labelled with its kind."""
    from matplotlib.patches import FancyArrowPatch

    groups: dict[tuple[int, int], list[int]] = {}
    for i, (s, t) in enumerate(pairs):
        groups.setdefault((min(s, t), max(s, t)), []).append(i)
    for (s, t), members in groups.items():
        count = len(members)
        for rank, i in enumerate(members):
            bend = 0.0 if count == 1 else 0.35 * (rank - (count - 1) / 2)
            style = ":" if kinds[i] in ("parent", "national") else "-"
            axes.add_patch(
                FancyArrowPatch(
                    tuple(xy[s]),
                    tuple(xy[t]),
                    connectionstyle=f"arc3,rad={bend}",
                    arrowstyle="-",
                    linestyle=style,
                    color="#999999",
                    linewidth=0.8,
                    zorder=1,
                )
            )
        if count > 1:
            (x0, y0), (x1, y1) = xy[s], xy[t]
            names = ", ".join(str(kinds[i]).replace("_", " ") for i in members)
            axes.annotate(
                f"{count} links: {names}",
                ((x0 + x1) / 2, (y0 + y1) / 2),
                fontsize=6.5,
                color="#333333",
                ha="center",
                va="center",
                zorder=3,
                annotation_clip=False,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#cccccc", "alpha": 0.9},
            )


def _bfs(graph: Any, start: int, depth: int) -> tuple[list[int], list[int]]:
    order, layers, _ = graph.bfs(start)
    reached, distance = [], []
    for level, (first, last) in enumerate(itertools.pairwise(layers)):
        if level > depth:
            break
        for vertex in order[first:last]:
            reached.append(vertex)
            distance.append(level)
    return reached, distance
