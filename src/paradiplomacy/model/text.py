"""What each output medium can carry: helpers that strip or escape stored text before it leaves.

Stored text comes from import files and may hold anything a user typed or a hostile file carried:
terminal escape sequences, Rich markup, characters XML 1.0 cannot represent, lone surrogates,
non-finite numbers. Each medium gets its own helper; none of them changes what is stored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""C0 controls (tab and newline kept), DEL, C1 controls (CSI included), bidi overrides, surrogates."""
_LINE_CONTROLS = re.compile("[\t\n]")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters outside XML 1.0's Char production."""
_RICH_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def unsafe_characters(value: str) -> list[str]:
    """The control, bidi-override and surrogate characters in ``value`` (tab, CR, LF allowed)."""
    return [c for c in _CONTROLS.findall(value) if c != "\r"]


def plain(value: Any, *, one_line: bool = False) -> str:
    """``value`` as text with control characters, escape sequences and bidi overrides removed."""
    text = _CONTROLS.sub("", "" if value is None else str(value))
    return _LINE_CONTROLS.sub(" ", text) if one_line else text


def terminal(value: Any, *, one_line: bool = True) -> str:
    """Text safe to hand to Rich: controls stripped, markup escaped (``[/bold]`` stays literal)."""
    return rich_escape(plain(value, one_line=one_line))


def rich_escape(text: str) -> str:
    """Escape Rich markup like ``rich.markup.escape`` (without importing Rich in the model layer)."""

    def _escape(match: re.Match[str]) -> str:
        backslashes, tag = match.groups()
        return f"{backslashes}{backslashes}\\{tag}"

    text = _RICH_TAG.sub(_escape, text)
    if text.endswith("\\") and not text.endswith("\\\\"):
        text += "\\"
    return text


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot carry (C0 controls, U+FFFE/FFFF, surrogates)."""
    return _NOT_XML.sub("", value)


def json_text_safe(text: str) -> str:
    """JSON text with the characters JSON leaves raw but terminals act on (C1 controls, bidi
    overrides, lone surrogates) written as ``\\uXXXX`` escapes: the data is unchanged."""
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_ready(value: Any) -> Any:
    """``value`` with every non-finite float (NaN, ±inf) replaced by ``None``, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    return value
