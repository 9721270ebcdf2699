"""Tempo of a repetition: seconds down, pause at the bottom, up, pause at the top (pure).

A template writes it the usual way, ``tempo = "3-1-5"`` (down - pause - up) with an
optional fourth number for a pause at the top (``"3-1-5-1"``) and ``X`` for an explosive
lift (``"3-0-X"``), or as a table, ``tempo = { down = 5, up = 1 }``. Both read into the
same :class:`Tempo`, which the plan keeps and every output words the same way.
"""

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from planner.models.common import Frozen

# A phase longer than 30 s is a hold, not a repetition: write it as one.
MAX_PHASE = 30
Phase = Annotated[int, Field(ge=0, le=MAX_PHASE)]
Explosive = Literal["X"]

_NOTATION = re.compile(r"^(\d{1,2}|[Xx])(?:-(\d{1,2}|[Xx])){2,3}$")
_HOW = (
    'write it as down-pause-up seconds like "3-1-5" (a 4th number is a pause at the top; '
    "X means lift explosively) or as a table like { down = 3, up = 1 }"
)


def _read(value: object) -> object:
    """``"3-1-5"`` (or ``"3-1-x-0"``) to the table form; tables and tempos pass through."""
    if isinstance(value, dict | TempoModel):
        return value
    if not isinstance(value, str):
        raise ValueError(f"tempo must be text or a table; {_HOW}")
    text = value.strip().upper()
    if not _NOTATION.match(text):
        raise ValueError(f"tempo {value!r} is not in the usual notation; {_HOW}")
    parts: list[Any] = [p if p == "X" else int(p) for p in text.split("-")]
    if "X" in parts[:2] + parts[3:]:
        raise ValueError(f"tempo {value!r}: X (explosive) is only for the lift, the 3rd number")
    if any(p != "X" and p > MAX_PHASE for p in parts):
        raise ValueError(f"tempo {value!r}: a part longer than {MAX_PHASE} s is a hold; {_HOW}")
    keys = ("down", "pause", "up", "top")
    return dict(zip(keys, parts, strict=False))


class TempoModel(Frozen):
    """How long each part of one repetition takes, in seconds."""

    down: Phase = Field(description="Seconds lowering (the muscle lengthening), at least 1.")
    pause: Phase = Field(0, description="Seconds held at the bottom.")
    up: Phase | Explosive = Field(
        description="Seconds lifting, at least 1, or X to lift explosively (as fast as "
        "control allows)."
    )
    top: Phase = Field(0, description="Seconds held at the top.")

    @model_validator(mode="after")
    def _moves(self) -> "TempoModel":
        # A lowering or a lift of 0 s is no repetition; "X" is the way to say "fast up".
        if self.down == 0:
            raise ValueError("the lowering takes at least 1 s; X (explosive) is for the lift")
        if self.up == 0:
            raise ValueError("the lift takes at least 1 s; write X for an explosive lift")
        return self

    def notation(self) -> str:
        """``3-1-5`` (a pause at the top adds a fourth number)."""
        parts = [self.down, self.pause, self.up] + ([self.top] if self.top else [])
        return "-".join(str(p) for p in parts)

    def words(self) -> str:
        """``3 s down, 1 s pause, 5 s up`` (parts of 0 s left out)."""
        parts = [f"{self.down} s down"]
        if self.pause:
            parts.append(f"{self.pause} s pause")
        parts.append("up explosively" if self.up == "X" else f"{self.up} s up")
        if self.top:
            parts.append(f"{self.top} s hold at the top")
        return ", ".join(parts)

    def text(self) -> str:
        """``Tempo 3-1-5: 3 s down, 1 s pause, 5 s up``."""
        return f"Tempo {self.notation()}: {self.words()}"


# The field type: the notation string or the table, validated into a TempoModel.
# The schema offers both spellings to editors.
Tempo = Annotated[
    TempoModel,
    BeforeValidator(
        _read,
        json_schema_input_type=Annotated[str, StringConstraints(pattern=_NOTATION.pattern)]
        | TempoModel,
    ),
]
