"""Exports: every format read back with its usual reader, selections, errors and speed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pandas as pd
import pyarrow.parquet as pq
import pytest
from sqlalchemy import make_url

from paradiplomacy import Registry
from paradiplomacy.export.writers import (
    DEFAULT_TABLES,
    ExportError,
    ExportSelection,
    export_registry,
    public_url,
    tables_as_frames,
    to_graph,
)
from paradiplomacy.store.registry import RegistryError
from paradiplomacy.store.schema import (
    Actor,
    Adoption,
    BudgetLine,
    Citation,
    Coalition,
    CoalitionEvent,
    CoalitionMember,
    Observation,
    Office,
    OfficeOwner,
    Source,
    Strategy,
    Tie,
)

LINKED = {
    "jp-401005",
    "jp-400009",
    "jp-141305",
    "cn-dalian",
    "cn-jiangsu",
    "us-norfolk",
    "th-bangkok",
    "kr-busan",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """A registry of a few real-looking records (read-only for the tests)."""
    registry = Registry(tmp_path_factory.mktemp("export") / "small.db")
    registry.create_schema()
    with registry.session() as s:
        paper = Source(key="takao2004", kind="paper", author="Yasuo Takao", year=2004)
        fujiwara = Source(key="fujiwara2025", kind="paper", year=2025)
        file = Source(key="file:ties.csv", kind="file")
        unused = Source(key="menju2002", kind="paper")
        kitakyushu = Actor(
            key="jp-401005",
            kind="municipality",
            name_en="Kitakyushu",
            name_ja="北九州市",
            country="JP",
            lg_code="401005",
            lg_type="designated_city",
            lat=33.8834,
            lon=130.8752,
            population=939029,
        )
        fukuoka = Actor(
            key="jp-400009",
            kind="prefecture",
            name_en="Fukuoka Prefecture",
            name_ja="福岡県",
            country="JP",
            lg_code="400009",
            lg_type="prefecture",
        )
        kawasaki = Actor(
            key="jp-141305",
            kind="municipality",
            name_en="Kawasaki",
            name_ja="川崎市",
            country="JP",
            lg_code="141305",
        )
        sapporo = Actor(
            key="jp-011002",
            kind="municipality",
            name_en="Sapporo",
            name_ja="札幌市",
            country="JP",
            lg_code="011002",
        )
        dalian = Actor(
            key="cn-dalian",
            kind="foreign_city",
            name_en="Dalian",
            name_ja="大連市",
            country="CN",
            lat=38.914,
            lon=121.6147,
        )
        jiangsu = Actor(key="cn-jiangsu", kind="foreign_region", name_en="Jiangsu", country="CN")
        shanghai = Actor(key="cn-shanghai", kind="foreign_city", name_en="Shanghai", country="CN")
        norfolk = Actor(key="us-norfolk", kind="foreign_city", name_en="Norfolk", country="US")
        bangkok = Actor(
            key="th-bangkok", kind="foreign_city", name_en="Bangkok", country="TH", lat=13.7563, lon=100.5018
        )
        busan = Actor(key="kr-busan", kind="foreign_city", name_en="Busan", country="KR")
        s.add_all(
            [
                paper,
                fujiwara,
                file,
                unused,
                kitakyushu,
                fukuoka,
                kawasaki,
                sapporo,
                dalian,
                jiangsu,
                shanghai,
                norfolk,
                bangkok,
                busan,
            ]
        )
        s.flush()
        sister = Tie(
            kind="sister", subject_id=kitakyushu.id, object_id=dalian.id, start="1979-05-01", status="active"
        )
        friendship = Tie(
            kind="friendship", subject_id=fukuoka.id, object_id=jiangsu.id, start="1992-11", status="active"
        )
        norfolk_tie = Tie(
            kind="sister",
            subject_id=kitakyushu.id,
            object_id=norfolk.id,
            start="1962",
            end="2005",
            status="ended",
        )
        office = Office(
            key="fukuoka-bangkok",
            name="Fukuoka Bangkok Office",
            city_id=bangkok.id,
            country="TH",
            opened="2000",
            model="joint_government",
            functions=["trade_promotion", "information_gathering"],
            focus=[],
        )
        coalition = Coalition(
            key="oeaed",
            name="Organization for East Asia Economic Development",
            issue_area="economy",
            scope="regional",
            started="2004",
        )
        s.add_all([sister, friendship, norfolk_tie, office, coalition])
        s.flush()
        s.add_all(
            [
                OfficeOwner(office_id=office.id, actor_id=fukuoka.id, position=0),
                OfficeOwner(office_id=office.id, actor_id=kitakyushu.id, position=1),
                CoalitionMember(coalition_id=coalition.id, actor_id=kitakyushu.id, role="founder"),
                CoalitionMember(coalition_id=coalition.id, actor_id=dalian.id, role="member"),
                CoalitionMember(coalition_id=coalition.id, actor_id=busan.id, role="member"),
                CoalitionEvent(
                    coalition_id=coalition.id,
                    date="2004-11",
                    title="Founding conference",
                    channel="summit",
                    actor_ids=[kitakyushu.id, busan.id],
                ),
                Strategy(
                    actor_id=fukuoka.id,
                    title="Fukuoka International Strategy",
                    pillars=["acquire_external_demand"],
                    adopted="2012",
                ),
                Adoption(actor_id=kawasaki.id, policy="foreign_residents_assembly", date="1996-12"),
                BudgetLine(fiscal_year=2001, category="international exchange", amount=1.2e9),
                Observation(
                    key="affiliations-us-2001",
                    measure="affiliations",
                    value=428,
                    as_of="2001",
                    dimensions={"partner_country": "US"},
                ),
                Citation(source_id=paper.id, entity="tie", entity_id=sister.id, locator="p. 98"),
                Citation(source_id=file.id, entity="tie", entity_id=sister.id, row=3),
                Citation(source_id=fujiwara.id, entity="office", entity_id=office.id, locator="Table 2"),
                Citation(source_id=paper.id, entity="coalition", entity_id=coalition.id),
            ]
        )
    return registry


def _keys(frame: pd.DataFrame) -> set[str]:
    return set(frame["key"])


# -- selection -------------------------------------------------------------------------------------


def test_frames_default_selection(small: Registry) -> None:
    frames = tables_as_frames(small)
    assert tuple(frames) == DEFAULT_TABLES
    assert _keys(frames["actor"]) == LINKED  # Sapporo and Shanghai hold no record
    assert len(frames["tie"]) == 3
    sister = frames["tie"].set_index("object_key").loc["cn-dalian"]
    assert (sister["subject_key"], sister["kind"], sister["start"]) == ("jp-401005", "sister", "1979-05-01")
    assert sister["sources"] == "takao2004 (p. 98)|file:ties.csv row 3"
    assert frames["tie"].set_index("object_key").loc["cn-jiangsu", "sources"] == ""
    assert frames["office"].loc[0, "functions"] == ["trade_promotion", "information_gathering"]
    assert frames["office"].loc[0, "city_key"] == "th-bangkok"
    assert list(frames["office_owner"]["actor_key"]) == ["jp-400009", "jp-401005"]
    assert frames["coalition_event"].loc[0, "actor_keys"] == ["jp-401005", "kr-busan"]
    assert len(frames["source"]) == 4  # unfiltered: every source
    assert "sources" not in frames["source"].columns


def test_all_actors(small: Registry) -> None:
    frames = tables_as_frames(small, ExportSelection(tables=("actor",), only_linked_actors=False))
    assert list(frames) == ["actor"]
    assert _keys(frames["actor"]) == LINKED | {"jp-011002", "cn-shanghai"}


def test_country_selection(small: Registry) -> None:
    frames = tables_as_frames(small, ExportSelection(countries=("cn",)))
    assert set(frames["tie"]["object_key"]) == {"cn-dalian", "cn-jiangsu"}
    assert frames["office"].empty and frames["office_owner"].empty  # Bangkok is not CN
    assert list(frames["coalition"]["key"]) == ["oeaed"]  # Dalian is a member
    assert len(frames["coalition_member"]) == 3
    assert frames["observation"].empty and frames["budget_line"].empty
    assert _keys(frames["actor"]) == {"jp-401005", "jp-400009", "cn-dalian", "cn-jiangsu", "kr-busan"}
    assert _keys(frames["source"]) == {"takao2004", "file:ties.csv"}

    us = tables_as_frames(small, ExportSelection(countries=("US",)))
    assert list(us["observation"]["key"]) == ["affiliations-us-2001"]


def test_country_and_kind_selection(small: Registry) -> None:
    selection = ExportSelection(tables=("tie", "actor"), countries=("CN",), tie_kinds=("sister",))
    frames = tables_as_frames(small, selection)
    assert list(frames["tie"]["object_key"]) == ["cn-dalian"]
    # ends of the kept tie, members of the CN coalition, and Jiangsu: a CN actor holding a record
    assert _keys(frames["actor"]) == {"jp-401005", "cn-dalian", "cn-jiangsu", "kr-busan"}
    everyone = tables_as_frames(
        small, ExportSelection(tables=("actor",), countries=("CN",), only_linked_actors=False)
    )
    assert "cn-shanghai" in _keys(everyone["actor"])


def test_kind_selection(small: Registry) -> None:
    frames = tables_as_frames(small, ExportSelection(tie_kinds=("friendship",)))
    assert list(frames["tie"]["subject_key"]) == ["jp-400009"]
    assert "us-norfolk" not in _keys(frames["actor"])
    assert _keys(frames["source"]) == {"fujiwara2025", "takao2004"}  # office and coalition


def test_extra_tables(small: Registry) -> None:
    frames = tables_as_frames(small, ExportSelection(tables=("citation", "meta")))
    assert len(frames["citation"]) == 4
    assert set(frames["citation"]["source_key"]) == {"takao2004", "file:ties.csv", "fujiwara2025"}


# -- formats ---------------------------------------------------------------------------------------


def test_csv(small: Registry, tmp_path: Path) -> None:
    written = export_registry(small, tmp_path / "csv", "csv")
    assert {p.name for p in written} == {f"{t}.csv" for t in DEFAULT_TABLES} | {"ties_readable.csv"}
    actors = pd.read_csv(tmp_path / "csv" / "actor.csv", dtype={"lg_code": str})
    kitakyushu = actors.set_index("key").loc["jp-401005"]
    assert kitakyushu["name_ja"] == "北九州市" and kitakyushu["lg_code"] == "401005"
    assert kitakyushu["population"] == 939029
    ties = pd.read_csv(tmp_path / "csv" / "tie.csv", keep_default_na=False)
    assert len(ties) == 3
    assert ties.set_index("object_key").loc["cn-dalian", "sources"] == (
        "takao2004 (p. 98)|file:ties.csv row 3"
    )
    office = pd.read_csv(tmp_path / "csv" / "office.csv")
    assert json.loads(office.loc[0, "functions"]) == ["trade_promotion", "information_gathering"]
    assert json.loads(office.loc[0, "focus"]) == []
    assert office.loc[0, "sources"] == "fujiwara2025 (Table 2)"
    readable = pd.read_csv(tmp_path / "csv" / "ties_readable.csv", encoding="utf-8-sig", dtype=str)
    row = readable.set_index("object_key").loc["cn-dalian"]
    assert (row["subject_name_ja"], row["subject_lg_code"], row["object_country"]) == (
        "北九州市",
        "401005",
        "CN",
    )
    assert (tmp_path / "csv" / "ties_readable.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_csv_of_one_table_still_names_tie_ends(small: Registry, tmp_path: Path) -> None:
    written = export_registry(small, tmp_path, "csv", ExportSelection(tables=("tie",)))
    assert sorted(p.name for p in written) == ["tie.csv", "ties_readable.csv"]
    readable = pd.read_csv(tmp_path / "ties_readable.csv", encoding="utf-8-sig")
    assert set(readable["object_name_en"]) == {"Dalian", "Jiangsu", "Norfolk"}


def test_parquet(small: Registry, tmp_path: Path) -> None:
    written = export_registry(small, tmp_path / "pq", "parquet", ExportSelection(countries=("CN",)))
    assert {p.name for p in written} == {f"{t}.parquet" for t in DEFAULT_TABLES}
    ties = pd.read_parquet(tmp_path / "pq" / "tie.parquet")
    assert set(ties["object_key"]) == {"cn-dalian", "cn-jiangsu"}
    assert pq.read_schema(tmp_path / "pq" / "actor.parquet").field("population").type == "int64"
    actors = pd.read_parquet(tmp_path / "pq" / "actor.parquet").set_index("key")
    assert actors.loc["jp-401005", "population"] == 939029
    assert pd.isna(actors.loc["cn-jiangsu", "population"])
    events = pd.read_parquet(tmp_path / "pq" / "coalition_event.parquet")
    assert list(events.loc[0, "actor_keys"]) == ["jp-401005", "kr-busan"]
    assert pd.read_parquet(tmp_path / "pq" / "office.parquet").empty
    everything = export_registry(small, tmp_path / "all", "parquet")
    office = pd.read_parquet(next(p for p in everything if p.name == "office.parquet"))
    assert list(office.loc[0, "functions"]) == ["trade_promotion", "information_gathering"]
    observation = pd.read_parquet(tmp_path / "all" / "observation.parquet")
    assert json.loads(observation.loc[0, "dimensions"]) == {"partner_country": "US"}


def test_json(small: Registry, tmp_path: Path) -> None:
    out = tmp_path / "registry.json"
    assert export_registry(small, out, "json", ExportSelection(tie_kinds=("sister",))) == [out]
    document = json.loads(out.read_text(encoding="utf-8"))
    meta = document["meta"]
    assert meta["registry"].startswith("sqlite:///") and meta["exported_at"]
    assert meta["selection"]["tie_kinds"] == ["sister"]
    assert meta["counts"]["tie"] == 2
    tables = document["tables"]
    assert set(tables) == set(DEFAULT_TABLES)
    assert {t["object_key"] for t in tables["tie"]} == {"cn-dalian", "us-norfolk"}
    kitakyushu = next(a for a in tables["actor"] if a["key"] == "jp-401005")
    assert kitakyushu["population"] == 939029 and kitakyushu["lat"] == pytest.approx(33.8834)
    assert kitakyushu["parent_id"] is None
    assert tables["office"][0]["functions"] == ["trade_promotion", "information_gathering"]
    assert tables["observation"][0]["dimensions"] == {"partner_country": "US"}


def test_json_hides_password() -> None:
    url = public_url(make_url("postgresql+psycopg://user:secret@db.example/paradiplomacy"))
    assert "secret" not in url and url.startswith("postgresql+psycopg://user:")


def test_graph(small: Registry) -> None:
    graph = to_graph(small)
    assert isinstance(graph, nx.MultiDiGraph)
    assert set(graph) == LINKED | {"office:fukuoka-bangkok", "coalition:oeaed"}
    node = graph.nodes["jp-401005"]
    assert node["label"] == "Kitakyushu (北九州市)" and node["lg_code"] == "401005"
    assert node["population"] == 939029 and "parent_id" not in node
    assert "lat" not in graph.nodes["cn-jiangsu"]  # missing values are left off
    tie = graph.edges["jp-401005", "cn-dalian", "tie:1"]
    assert tie["kind"] == "sister" and tie["sources"] == "takao2004 (p. 98)|file:ties.csv row 3"
    kinds = sorted(d["kind"] for *_, d in graph.edges(data=True))
    assert (
        kinds
        == ["coalition_member"] * 3 + ["friendship", "located_in"] + ["owns_office"] * 2 + ["sister"] * 2
    )
    assert graph.nodes["office:fukuoka-bangkok"]["functions"] == ("trade_promotion|information_gathering")
    assert graph.nodes["office:fukuoka-bangkok"]["lat"] == pytest.approx(13.7563)
    only_ties = to_graph(small, ExportSelection(tables=("tie",), countries=("US",)))
    assert {d["kind"] for *_, d in only_ties.edges(data=True)} == {"sister"}
    assert set(only_ties) == {"jp-401005", "us-norfolk"}


def test_graphml(small: Registry, tmp_path: Path) -> None:
    out = tmp_path / "ties.graphml"
    export_registry(small, out, "graphml")
    graph = nx.read_graphml(out, force_multigraph=True)
    assert graph.is_directed() and graph.number_of_nodes() == 10
    assert graph.number_of_edges() == 9
    assert graph.nodes["jp-401005"]["name_ja"] == "北九州市"
    assert graph.nodes["jp-401005"]["population"] == 939029
    edge = graph.get_edge_data("jp-401005", "cn-dalian")["tie:1"]
    assert (edge["kind"], edge["start"], edge["status"]) == ("sister", "1979-05-01", "active")
    member = graph.get_edge_data("jp-401005", "coalition:oeaed")
    assert next(iter(member.values()))["role"] == "founder"
    owners = {
        u for u, _, d in graph.in_edges("office:fukuoka-bangkok", data=True) if d["kind"] == "owns_office"
    }
    assert owners == {"jp-400009", "jp-401005"}


def test_gexf(small: Registry, tmp_path: Path) -> None:
    out = tmp_path / "ties.gexf"
    export_registry(small, out, "gexf")
    root = ET.parse(out).getroot()
    ns = {"g": root.tag.split("}")[0].strip("{")}
    nodes = root.findall(".//g:node", ns)
    assert nodes and all(n.get("label") for n in nodes)
    edge_ids = [e.get("id") for e in root.findall(".//g:edge", ns)]
    assert len(edge_ids) == len(set(edge_ids)) == 9
    assert root.find("g:graph", ns).get("timeformat") == "date"
    graph = nx.read_gexf(out)
    assert graph.nodes["cn-dalian"]["label"] == "Dalian (大連市)"
    norfolk = graph.get_edge_data("jp-401005", "us-norfolk")
    assert (norfolk["start_date"], norfolk["end_date"]) == ("1962", "2005")
    assert (norfolk["start"], norfolk["end"]) == ("1962-01-01", "2005-12-31")
    assert graph.get_edge_data("jp-400009", "cn-jiangsu")["start"] == "1992-11-01"
    assert graph.get_edge_data("jp-400009", "cn-jiangsu")["label"] == "friendship"
    assert "key" not in graph.nodes["jp-401005"] and "networkx_key" not in graph.nodes["jp-401005"]
    assert graph.nodes["office:fukuoka-bangkok"]["label"] == "Fukuoka Bangkok Office"


def test_empty_registry(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "empty.db")
    registry.create_schema()
    for fmt in ("csv", "parquet", "json", "graphml", "gexf"):
        assert export_registry(registry, tmp_path / f"out-{fmt}", fmt)
    office = pd.read_parquet(tmp_path / "out-parquet" / "office.parquet")
    assert office.empty and "sources" in office.columns
    assert nx.read_gexf(tmp_path / "out-gexf").number_of_nodes() == 0


def test_compressed_graphml(small: Registry, tmp_path: Path) -> None:
    out = export_registry(small, tmp_path / "deep" / "ties.graphml.gz", "graphml")[0]
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    assert nx.read_graphml(out, force_multigraph=True).number_of_edges() == 9
    assert sorted(p.name for p in out.parent.iterdir()) == ["ties.graphml.gz"]


def test_stable_ids(small: Registry, tmp_path: Path) -> None:
    first = export_registry(small, tmp_path / "a.graphml", "graphml")[0]
    second = export_registry(small, tmp_path / "b.graphml", "graphml")[0]
    a, b = nx.read_graphml(first, force_multigraph=True), nx.read_graphml(second, force_multigraph=True)
    assert set(a) == set(b) and set(a.edges(keys=True)) == set(b.edges(keys=True))
    export_registry(small, tmp_path / "c1", "csv")
    export_registry(small, tmp_path / "c2", "csv")
    assert (tmp_path / "c1" / "tie.csv").read_text() == (tmp_path / "c2" / "tie.csv").read_text()


# -- errors ----------------------------------------------------------------------------------------


def test_errors(small: Registry, tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    cases = [
        (dict(out=tmp_path / "x", format="docx"), "unknown export format 'docx'"),
        (
            dict(out=tmp_path / "x", format="csv", selection=ExportSelection(tables=("ties",))),
            "unknown table 'ties'",
        ),
        (dict(out=tmp_path / "x", format="csv", selection=ExportSelection(tables=())), "no table selected"),
        (dict(out=a_file, format="csv"), "is a file"),
        (dict(out=a_file, format="parquet"), "is a file"),
        (dict(out=tmp_path, format="json"), "is a directory"),
        (
            dict(out=tmp_path / "g", format="gexf", selection=ExportSelection(tie_kinds=("twin",))),
            "unknown tie kind 'twin'",
        ),
        (
            dict(out=tmp_path / "x", format="csv", selection=ExportSelection(countries=("ZZ",))),
            "unknown country: 'ZZ'",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(ExportError, match=message):
            export_registry(small, **kwargs)
    assert a_file.read_text() == "x"
    assert issubclass(ExportError, RegistryError)  # so the CLI prints it cleanly
    empty = Registry(tmp_path / "empty.db")
    with pytest.raises(ExportError, match="init"):
        export_registry(empty, tmp_path / "new" / "out", "csv")
    assert not (tmp_path / "new").exists()
