"""Optional extras: heavy libraries that only some commands need, and the message when one is missing.

``pip install 'paradiplomacy[charts]'`` adds matplotlib (the report's charts, ego and diffusion
plots), ``[parquet]`` pyarrow (``export --format parquet``), ``[pdf]`` WeasyPrint (``report --out
x.pdf``), ``[web]`` the web workbench, ``[postgres]`` the PostgreSQL driver and ``[diffusion]`` the
Dask back-end. A command that needs a missing one stops with :func:`missing_extra`'s line.

This module imports nothing, so any layer may use it.
"""

from __future__ import annotations

__all__ = ["EXTRAS", "missing_extra"]

#: top-level module -> (extra that installs it, what needs it)
EXTRAS: dict[str, tuple[str, str]] = {
    "matplotlib": ("charts", "charts and plots"),
    "pyarrow": ("parquet", "Parquet export"),
    "weasyprint": ("pdf", "PDF output"),
    "fastapi": ("web", "the web workbench"),
    "uvicorn": ("web", "the web workbench"),
    "multipart": ("web", "the web workbench"),
    "python_multipart": ("web", "the web workbench"),
    "argon2": ("web", "web accounts"),
    "httpx2": ("web", "serve --get"),
    "swagger_ui_bundle": ("web", "the API documentation page"),
    "psycopg": ("postgres", "a PostgreSQL registry"),
    "dask": ("diffusion", "the Dask back-end"),
    "distributed": ("diffusion", "the Dask back-end"),
}


def missing_extra(error: BaseException) -> str | None:
    """The one-line message for an import of an optional library that failed, else None.

    >>> missing_extra(ModuleNotFoundError("No module named 'pyarrow'", name="pyarrow.parquet"))
    "pyarrow is not installed (needed for Parquet export): pip install 'paradiplomacy[parquet]'"
    >>> missing_extra(ModuleNotFoundError("No module named 'foo'", name="foo")) is None
    True
    """
    if not isinstance(error, ImportError) or not error.name:
        return None
    module = error.name.split(".")[0]
    if module not in EXTRAS:
        return None
    extra, purpose = EXTRAS[module]
    return f"{module} is not installed (needed for {purpose}): pip install 'paradiplomacy[{extra}]'"
