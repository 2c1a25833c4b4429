"""The lines of an import report about ties the registry already held: what each row enriched or
refined, and each value in conflict with how it was settled (English or Japanese)."""

from __future__ import annotations

from paradiplomacy.cli.options import console, errors
from paradiplomacy.i18n import translate, vocabulary
from paradiplomacy.ingest.report import ImportReport
from paradiplomacy.model.text import terminal

SHOWN = 25
_SETTLED = {
    "rejected": "the row was refused (choose --prefer new or --prefer old)",
    "old": "kept the registry's value (--prefer old)",
    "new": "took the file's value (--prefer new)",
}


def print_ties_changed(report: ImportReport, lang: str) -> None:
    """Print the enrichments and conflicts of ``report`` (the first :data:`SHOWN` of each)."""
    for change in report.changes[:SHOWN]:
        if change.outcome == "conflict" and all(how == "conflict" for *_, how in change.fields):
            continue  # the conflict lines below say it all
        fields = ", ".join(
            f"{translate(name, lang)} {_value(name, old, lang)} → {_value(name, new, lang)}"
            for name, old, new, how in change.fields
            if how != "conflict"
        )
        line = translate(
            "row {row}: {tie} {outcome}",
            lang,
            row=change.row,
            tie=change.tie,
            outcome=translate(change.outcome, lang),
        )
        if fields:
            line += f": {fields}"
        if change.via:
            line += translate(" (held by {via})", lang, via=_via(change.via, lang))
        console.print(terminal(line), highlight=False)
    if len(report.changes) > SHOWN:
        console.print(translate("… and {n} more (see --json)", lang, n=len(report.changes) - SHOWN))
    for conflict in report.conflicts[:SHOWN]:
        errors.print(
            terminal(
                translate(
                    "conflict: row {row}, {field}: {tie} has {old} in the registry, "
                    "the file says {new}; {settled}",
                    lang,
                    row=conflict.row,
                    field=translate(conflict.field, lang),
                    tie=conflict.tie,
                    old=_value(conflict.field, conflict.old, lang),
                    new=_value(conflict.field, conflict.new, lang),
                    settled=translate(_SETTLED[conflict.settled], lang),
                )
            ),
            highlight=False,
        )
    if len(report.conflicts) > SHOWN:
        errors.print(
            translate("… and {n} more conflicts (see --json)", lang, n=len(report.conflicts) - SHOWN)
        )


def _via(via: str, lang: str) -> str:
    """``former body 旧河北町`` / ``successor 石巻市`` in ``lang``."""
    for prefix in ("former body ", "successor "):
        via = via.replace(prefix, translate(prefix.strip(), lang) + " ")
    return via


def _value(field: str, value: str | None, lang: str) -> str:
    """A field's value as a reader writes it: kinds and statuses from the vocabulary."""
    if not value:
        return "-"
    return vocabulary(value, lang) if field in ("kind", "status") else value
