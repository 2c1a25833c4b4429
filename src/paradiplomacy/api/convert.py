"""JSON-ready forms of the library's results (DataFrames, dataclasses, dates)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

__all__ = ["jsonable", "records"]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts, missing values as None."""
    return [{k: jsonable(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def jsonable(value: Any) -> Any:
    """A value JSON can carry: NaN/NA -> None, numpy scalars -> Python, dates -> ISO."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            return jsonable(value.item())
        except (ValueError, TypeError):
            return str(value)
    return value
