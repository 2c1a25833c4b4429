"""``--lang en|ja``: names and headings in English or Japanese, where the registry has both.

The default comes from ``$PARADIPLOMACY_LANG`` (``en`` when unset). Values the registry stores in
one language only (a GeoNames city with no Japanese name, a source key) are shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable

import click

ENV_VAR = "PARADIPLOMACY_LANG"
LANGS = ("en", "ja")

#: Japanese headings of the lookup tables (``search``, ``show``, ``ties``).
HEADINGS_JA = {
    "name": "名称",
    "English": "英語名",
    "日本語": "日本語",
    "kind": "種別",
    "country": "国",
    "in": "所属",
    "code / key": "コード／キー",
    "score": "一致度",
    "local government": "地方公共団体",
    "partner": "提携先",
    "start–end": "期間",
    "status": "状態",
    "via": "経由",
    "sources": "出典",
    "ties": "提携",
    "overseas offices": "海外事務所",
    "overseas offices hosted here": "当地にある海外事務所",
    "strategies": "国際戦略",
    "budget lines": "予算",
    "programmes": "事業",
    "policy adoptions": "政策の採用",
    "coalitions": "連合",
    "predecessors": "前身",
    "predecessor": "前身",
    "ended": "廃止",
    "change": "変更",
    "through": "経過",
    "other": "相手",
    "role": "役割",
    "start": "開始",
    "end": "終了",
    "city": "都市",
    "model": "形態",
    "opened": "開設",
    "closed": "閉鎖",
    "functions": "機能",
    "title": "題名",
    "adopted": "策定",
    "pillars": "柱",
    "fiscal year": "年度",
    "category": "区分",
    "amount": "金額",
    "currency": "通貨",
    "policy": "政策",
    "date": "日付",
    "owners": "設置者",
    "actor": "主体",
    "key": "キー",
    "population": "人口",
    "coordinates": "座標",
    "also known as": "別名",
    "part of": "所属",
    "local-government code": "地方公共団体コード",
    "codes": "コード",
    "code": "コード",
    "former municipality": "旧市町村",
    "succeeded by": "承継",
    "ties found": "件の提携",
}

#: Japanese names of vocabulary values (government types, actor and tie kinds, statuses).
VALUES_JA = {
    "prefecture": "都道府県",
    "designated_city": "政令指定都市",
    "city": "市",
    "special_ward": "特別区",
    "town": "町",
    "village": "村",
    "ward": "区",
    "municipality": "市町村",
    "foreign_city": "外国の都市",
    "foreign_region": "外国の地域",
    "national_government": "国の政府",
    "government_agency": "政府機関",
    "international_organisation": "国際機関",
    "city_network": "都市ネットワーク",
    "regional_body": "地域機関",
    "civil_society": "市民社会団体",
    "exchange_association": "国際交流協会",
    "business": "企業",
    "bank": "銀行",
    "university": "大学",
    "research_institute": "研究機関",
    "other": "その他",
    "sister": "姉妹",
    "friendship": "友好",
    "twinning": "姉妹・友好",
    "business_partner": "経済交流",
    "purpose_specific": "分野別交流",
    "partnership": "協力",
    "memorandum": "覚書",
    "network_membership": "ネットワーク加盟",
    "membership": "加盟",
    "coalition_membership": "連合加盟",
    "funding": "資金提供",
    "access_channel": "接触経路",
    "secondment": "派遣",
    "hosting": "受入れ",
    "active": "継続",
    "ended": "終了",
    "suspended": "休止",
    "planned": "予定",
    "unknown": "不明",
}


def lang_option(command: Callable) -> Callable:
    """``--lang en|ja`` (default ``$PARADIPLOMACY_LANG``, else ``en``)."""
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        envvar=ENV_VAR,
        default="en",
        show_default=True,
        show_envvar=True,
        help="Names and headings in English or Japanese, where both exist.",
    )(command)


def heading(word: str, lang: str) -> str:
    """A table or section heading in ``lang``.

    >>> heading("partner", "ja"), heading("partner", "en")
    ('提携先', 'partner')
    """
    return HEADINGS_JA.get(word, word) if lang == "ja" else word


def value(text: str | None, lang: str) -> str:
    """A vocabulary value as a reader writes it: ``designated city`` or ``政令指定都市``.

    >>> value("designated_city", "en"), value("designated_city", "ja"), value(None, "ja")
    ('designated city', '政令指定都市', '')
    """
    if not text:
        return ""
    if lang == "ja" and text in VALUES_JA:
        return VALUES_JA[text]
    return text.replace("_", " ")


def name(en: str | None, ja: str | None, lang: str) -> str:
    """The name in ``lang`` when the registry has it, else the other one.

    >>> name("Kōbe", "神戸市", "ja"), name("Kōbe", "神戸市", "en"), name("Dalian", None, "ja")
    ('神戸市', 'Kōbe', 'Dalian')
    """
    first, second = (ja, en) if lang == "ja" else (en, ja)
    return first or second or ""
