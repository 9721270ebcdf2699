"""The exercise library: what each movement is, how it is dosed and what it can provoke."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from planner.models.common import DoseKind, Equipment, Frozen, PainFlag

ExerciseId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Exercise(Frozen):
    """One movement in the library.

    ``provokes`` lists the pain flags the movement can aggravate; ``instead`` maps each of
    them to the library id to use for people with that flag. ``cue_for`` holds the cue that
    goes first for a person with that flag (domain-rules.md §7: cue first, then substitute).
    """

    id: ExerciseId
    name: Text
    kind: Literal["strength", "mobility"] = "strength"
    muscles: tuple[Text, ...] = Field(min_length=1)
    equipment: tuple[Equipment, ...] = ()
    unilateral: bool = False
    dose: DoseKind
    cues: tuple[Text, ...] = Field(min_length=2, max_length=4)
    easier: tuple[ExerciseId, ...] = ()
    harder: tuple[ExerciseId, ...] = ()
    provokes: tuple[PainFlag, ...] = ()
    instead: dict[PainFlag, ExerciseId] = Field(default_factory=dict)
    cue_for: dict[PainFlag, Text] = Field(default_factory=dict)
    knee_focused: bool = False

    @model_validator(mode="after")
    def _instead_covers_provokes(self) -> "Exercise":
        missing = [flag for flag in self.provokes if flag not in self.instead]
        if missing:
            raise ValueError(
                f"provokes {', '.join(missing)} but 'instead' names no alternative for it"
            )
        return self


class ExerciseLibrary(Frozen):
    """Every exercise a template may name, keyed by id after loading."""

    exercise: tuple[Exercise, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> "ExerciseLibrary":
        ids = [e.id for e in self.exercise]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate exercise id(s): {', '.join(dupes)}")
        known = set(ids)
        for e in self.exercise:
            refs = [*e.easier, *e.harder, *e.instead.values()]
            unknown = [r for r in refs if r not in known]
            if unknown:
                raise ValueError(
                    f"exercise '{e.id}' refers to unknown exercise id(s): {', '.join(unknown)}"
                )
        return self

    def by_id(self) -> dict[str, Exercise]:
        """Return the exercises keyed by id."""
        return {e.id: e for e in self.exercise}
