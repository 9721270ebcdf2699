"""Seals on the JSON rows planner writes: what lets a read skip validation, and when.

Validating a saved plan first builds its model's validator, which costs more than the rest
of a command that only reads. A row this planner wrote, after checking that its text
validates back to exactly itself, does not need that check again: it only needs turning
back into models (:func:`planner.models.construct.construct`). So each such row carries a
seal, ``<version>:<sha256>``, a digest of its exact text together with what validated it:
this planner's version, the source of its models and the validation library's version.

A row is read without validation only when its seal is the one this planner would write for
that text. A row written by an older planner (no seal, or a seal of other models), edited
by hand or by another tool, or damaged on disk, fails that test and goes through full
validation, with the errors and repairs it has always had. A seal is no secret and guards
against accidents, not against someone who can also change the program.
"""

import hashlib
import json
from typing import TYPE_CHECKING, Any, TypeVar

from planner.store.rows import model
from planner.validation_key import validation_key
from planner.version import __version__

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")


def seal_of(*texts: str) -> str | None:
    """The seal for a row holding ``texts`` (its JSON columns, in order), or ``None`` when
    this planner cannot seal (see :func:`~planner.validation_key.key_of`)."""
    validators = validation_key()
    if validators is None:
        return None
    digest = hashlib.sha256(validators.encode())
    for part in texts:
        data = part.encode()
        # Lengths first: moving text from one column to the next changes the digest.
        digest.update(f"\0{len(data)}\0".encode())
        digest.update(data)
    return f"{__version__}:{digest.hexdigest()}"


def seal_validated(*rows: "tuple[type[BaseModel], str]") -> str | None:
    """The seal for a row whose JSON columns are ``rows`` (model class, text), if each text
    validates to a model that writes exactly that text again; ``None`` otherwise, and the
    row is then validated whenever it is read, as before seals.

    A model is saved from what a command holds, which may have been copied with changes no
    validator saw; validating the text here means a seal always vouches for a text that
    validation accepts and gives back unchanged.
    """
    from pydantic import ValidationError

    for kind, raw in rows:
        try:
            if kind.model_validate_json(raw).model_dump_json() != raw:
                return None
        except ValidationError:
            return None
    return seal_of(*(raw for _, raw in rows))


def sealed(seal: object, *texts: object) -> bool:
    """Whether ``seal`` (read from the row) is the one this planner writes for ``texts``."""
    if not isinstance(seal, str) or not all(type(t) is str for t in texts):
        return False  # no seal, or a value read_text would refuse: validate, and say why
    return seal == seal_of(*(str(t) for t in texts))


def trusted(
    kind: type[M], raw: object, column: str, trust: bool, context: dict[str, Any] | None = None
) -> M:
    """The model in ``raw`` (a JSON column): rebuilt without validation when ``trust`` (the
    row's seal matched), else validated as every row was before seals (errors as
    :class:`~planner.store.rows.RowError` naming ``column``).

    A sealed row that does not rebuild (which would be a fault of planner, not the row) is
    validated all the same, so it reads as it always did.
    """
    if trust and isinstance(raw, str):
        from planner.models.construct import construct

        try:
            return construct(kind, json.loads(raw))
        except (ValueError, TypeError):
            pass

    def parse(text: str) -> M:
        return kind.model_validate_json(text, context=context)

    return model(parse, raw, column)
