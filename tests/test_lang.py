"""``--lang en|ja`` (or ``$PARADIPLOMACY_LANG``): names and headings of search, show and ties."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from paradiplomacy.cli.lang import ENV_VAR, heading, name, value
from paradiplomacy.cli.main import cli
from paradiplomacy.cli.render import change_label, via_label


def run(db: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)], env=env)
    return result.exit_code, result.output


def test_labels() -> None:
    assert name("Kōbe", "神戸市", "ja") == "神戸市" and name("Kōbe", "神戸市", "en") == "Kōbe"
    assert name(None, "神戸市", "en") == "神戸市" and name("Dalian", None, "ja") == "Dalian"
    assert value("special_ward", "ja") == "特別区" and value("special_ward", "en") == "special ward"
    assert value("new thing", "ja") == "new thing"
    assert heading("sources", "ja") == "出典" and heading("sources", "en") == "sources"
    tie = {"via": "旧清水市", "merged": "2003-04-01"}
    assert via_label(tie, "ja") == "旧清水市（2003-04-01 合併）"
    assert via_label(tie, "en") == "via 旧清水市, merged 2003-04-01"
    step = {"change_type": "new_merger", "change_type_ja": "新設合併"}
    assert change_label(step, "ja") == "新設合併" and change_label(step) == "new merger 新設合併"


def test_search_in_japanese_and_english(template_db: Path) -> None:
    code, ja = run(template_db, "search", "Kōbe", "--lang", "ja")
    assert code == 0 and "名称" in ja and "英語名" in ja and "政令指定都市" in ja and "兵庫県" in ja
    first_row = next(line for line in ja.splitlines() if "│ 1 " in line)
    assert first_row.index("神戸市") < first_row.index("Kōbe")
    code, en = run(template_db, "search", "Kōbe", "--lang", "en")
    assert code == 0 and "name" in en and "designated" in en and "名称" not in en
    first_row = next(line for line in en.splitlines() if "│ 1 " in line)
    assert first_row.index("Kōbe") < first_row.index("神戸市")
    code, former = run(template_db, "search", "清水市", env={ENV_VAR: "ja"})
    assert code == 0 and "旧市町村" in former and "2003-04-01 廃止 → 静岡市" in former
    assert "新設合併" in former and "new merger" not in former
    code, none = run(template_db, "search", "Zzzyqxw", "--lang", "ja")
    assert code == 1 and "一致するものはありません" in none


def test_language_leaves_json_alone(template_db: Path) -> None:
    outputs = [run(template_db, "search", "Fuchū", "--json", "--lang", lang)[1] for lang in ("en", "ja")]
    assert json.loads(outputs[0]) == json.loads(outputs[1])


def test_show_and_ties_in_japanese(template_db: Path) -> None:
    code, shown = run(template_db, "show", "静岡市", "--lang", "ja")
    assert code == 0 and "地方公共団体コード 221007" in shown and "前身" in shown
    assert "提携" in shown and "出典" in shown and "local-government code" not in shown
    records = json.loads(run(template_db, "ties", "静岡市", "--with-predecessors", "--json")[1])
    code, listed = run(template_db, "ties", "静岡市", "--with-predecessors", env={ENV_VAR: "ja"})
    assert code == 0 and "提携先" in listed and f"{len(records)} 件の提携" in listed
    assert "上越市" in listed and "Jōetsu" not in listed
    code, listed = run(template_db, "ties", "静岡市", "--lang", "en")
    assert code == 0 and "partner" in listed and "Jōetsu" in listed and "Shizuoka" in listed


def test_unknown_language_is_refused(template_db: Path) -> None:
    code, output = run(template_db, "search", "Kobe", env={ENV_VAR: "fr"})
    assert code == 2 and "'fr' is not one of 'en', 'ja'" in output
