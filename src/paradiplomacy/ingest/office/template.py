"""An empty list of one record kind with the headings the importer reads (Japanese or English),
for an office to fill in: ``paradiplomacy template tie --lang ja --format xlsx``.

The xlsx has the list on its first sheet (the one the importer reads) and a filled example on a
second; the CSV has the example as a ``※`` note under the headings (notes are skipped on import).
"""

from __future__ import annotations

import csv
from pathlib import Path

from paradiplomacy.i18n import normal_lang, translate
from paradiplomacy.ingest.office.headings import HEADINGS
from paradiplomacy.ingest.specs import KindSpec

#: Columns of a tie list, in the order offices write them.
TIE_ORDER = ("subject_parent", "subject", "object", "object_country", "start", "kind", "note")
#: One filled row per kind and language (Niigata and Galveston, sister cities since 1965).
EXAMPLES = {
    ("tie", "ja"): ("新潟県", "新潟市", "ガルベストン", "アメリカ合衆国", "昭和40年11月8日", "姉妹都市", ""),
    ("tie", "en"): ("新潟県", "Niigata", "Galveston", "US", "1965-11-08", "sister", ""),
}
FORMATS = ("xlsx", "csv")


def template_columns(spec: KindSpec, lang: str) -> list[tuple[str, str]]:
    """(heading, field) of each column: the first Japanese heading :data:`HEADINGS` reads for the
    field with ``lang="ja"``, else the field's name."""
    lang = normal_lang(lang)
    if spec.name == "tie":
        fields = list(TIE_ORDER)
    else:
        fields = [*spec.fields, *sorted(f"{r}_country" for r in spec.refs)]
    words = HEADINGS.get(spec.name, {})
    return [(words[name][0] if lang == "ja" and name in words else name, name) for name in fields]


def write_template(spec: KindSpec, path: Path, *, lang: str = "ja", fmt: str | None = None) -> Path:
    """Write the empty list of ``spec`` to ``path`` as xlsx or CSV (UTF-8 with a BOM, which Excel
    opens as Japanese text); ``fmt`` defaults to the file's suffix."""
    fmt = fmt or path.suffix.lower().lstrip(".") or "xlsx"
    if fmt not in FORMATS:
        raise ValueError(f"unknown template format {fmt!r} (use {' or '.join(FORMATS)})")
    lang = normal_lang(lang)
    columns = template_columns(spec, lang)
    headings = [h for h, _ in columns]
    example = EXAMPLES.get((spec.name, lang))
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headings)
            if example:
                shown = " / ".join(f"{h}: {v}" for h, v in zip(headings, example, strict=True) if v)
                writer.writerow([f"※ {translate('example', lang)}: {shown}"])
        return path
    import xlsxwriter  # lazy: only the template needs it

    book = xlsxwriter.Workbook(str(path))
    try:
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        text = book.add_format({"num_format": "@"})  # dates typed as written, not converted
        for title, rows in (
            ("一覧" if lang == "ja" else "list", []),
            (translate("example", lang), [example]),
        ):
            if title != ("一覧" if lang == "ja" else "list") and not example:
                continue
            sheet = book.add_worksheet(title)
            sheet.write_row(0, 0, headings, bold)
            for index, (heading, _) in enumerate(columns):
                sheet.set_column(index, index, max(12, 2 * len(heading) + 4), text)
            for number, row in enumerate(rows, start=1):
                if row:
                    sheet.write_row(number, 0, row)
            sheet.freeze_panes(1, 0)
    finally:
        book.close()
    return path
