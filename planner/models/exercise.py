"""The exercise library: what each movement is, how it is dosed and what it can provoke."""

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from planner.models.common import DoseKind, Equipment, Frozen, PainFlag, plain_text

ExerciseId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
# Names, titles, cues: one line of plain text, not even a tab.
Text = Annotated[
    str,
    StringConstraints(min_length=1, strip_whitespace=True),
    BeforeValidator(plain_text("", "write it as plain text on one line")),
]
# Prose (a template's summary, what a source supports) may run over lines and hold tabs.
Prose = Annotated[
    str,
    StringConstraints(min_length=1, strip_whitespace=True),
    BeforeValidator(plain_text("\t\n", "remove it; only tabs and line breaks may be used")),
]
Difficulty = Annotated[int, Field(ge=1, le=5)]

# How each flag is named in library errors (the person's words, not the key).
_AREA = {"knee": "the knee", "back": "the lower back", "hamstring": "the hamstrings"}


# The docstring is the schema's description of an exercise, which people read, so the
# source of the cue-first rule (domain-rules.md §7) is named here and not there.
class Exercise(Frozen):
    """One movement in the library.

    'provokes' lists the pain flags the movement can aggravate; 'instead' maps each of
    them to the library id to use for people with that flag. 'cue_for' holds the cue that
    goes first for a person with that flag: cue first, then substitute. 'difficulty' ranks
    the library so a stand-in is never harder than what it replaces.
    """

    id: ExerciseId = Field(description="Short name used in templates, lower-case-with-dashes.")
    name: Text = Field(description="Name as printed in the plan.")
    kind: Literal["strength", "mobility"] = Field(
        "strength", description="strength, or mobility for stretches and foam rolling."
    )
    muscles: tuple[Text, ...] = Field(
        min_length=1, description="Muscles worked, main one first; stand-ins match the first."
    )
    equipment: tuple[Equipment, ...] = Field(
        (), description="What must be at hand; empty means nothing but the floor."
    )
    unilateral: bool = Field(False, description="The dose is per side.")
    dose: DoseKind = Field(description="How it is counted: reps, hold (seconds) or steps.")
    difficulty: Difficulty = Field(
        description="How hard the movement is, 1 (easiest) to 5: the load through the knee "
        "and hip, the length of the lever, the balance it needs and any band or weight. "
        "Easier variations must be lower, harder ones higher, and an alternative in "
        "'instead' no higher. A stand-in is never harder than the exercise it replaces."
    )
    cues: tuple[Text, ...] = Field(
        min_length=2, max_length=4, description="Two to four coaching cues, the main one first."
    )
    easier: tuple[ExerciseId, ...] = Field(
        (), description="Easier variations (lower difficulty), the nearest first."
    )
    harder: tuple[ExerciseId, ...] = Field(
        (),
        description="Harder variations (higher difficulty); the first is where a 'variant' "
        "progression goes unless it names another.",
    )
    provokes: tuple[PainFlag, ...] = Field(
        (), description="Pain flags the movement can aggravate: knee, back, hamstring."
    )
    instead: dict[PainFlag, ExerciseId] = Field(
        default_factory=dict,
        description="For each flag in 'provokes', the exercise to use instead (no harder).",
    )
    cue_for: dict[PainFlag, Text] = Field(
        default_factory=dict,
        description="For a pain flag, the cue shown first when the exercise stays in the plan.",
    )
    knee_focused: bool = Field(
        False, description="Trains the knee itself; knee-pain plans keep one such exercise."
    )

    @model_validator(mode="after")
    def _instead_covers_provokes(self) -> "Exercise":
        missing = [flag for flag in self.provokes if flag not in self.instead]
        if missing:
            raise ValueError(
                f"provokes {', '.join(missing)} but 'instead' names no alternative for it"
            )
        return self


def _difficulty_problems(ex: Exercise, known: dict[str, Exercise]) -> list[tuple[str, str]]:
    """Where ``ex``'s variations and alternatives contradict the difficulty ranking."""
    here = f"exercise '{ex.id}' (difficulty {ex.difficulty})"
    problems: list[tuple[str, str]] = []
    for other in (known[i] for i in ex.easier):
        if other.difficulty >= ex.difficulty:
            problems.append(
                (
                    "easier",
                    f"{here} lists '{other.id}' (difficulty {other.difficulty}) as easier; an "
                    f"easier variation needs a lower difficulty: lower {other.id}'s difficulty, "
                    f"raise {ex.id}'s, or take {other.id} out of its 'easier' list",
                )
            )
    for other in (known[i] for i in ex.harder):
        if other.difficulty <= ex.difficulty:
            problems.append(
                (
                    "harder",
                    f"{here} lists '{other.id}' (difficulty {other.difficulty}) as harder; a "
                    f"harder variation needs a higher difficulty: raise {other.id}'s difficulty, "
                    f"lower {ex.id}'s, or take {other.id} out of its 'harder' list",
                )
            )
    for flag, other_id in ex.instead.items():
        other = known[other_id]
        if other.difficulty > ex.difficulty:
            problems.append(
                (
                    "instead",
                    f"{here} names '{other.id}' (difficulty {other.difficulty}) in 'instead' for "
                    f"{_AREA[flag]}; a stand-in must not be harder: pick an alternative of "
                    f"difficulty {ex.difficulty} or less, or lower {other.id}'s difficulty",
                )
            )
    return problems


def _cycle(ex: Exercise, known: dict[str, Exercise]) -> list[str] | None:
    """A round of easier/harder links that leads from ``ex`` back to ``ex``, or None.

    ``harder`` links go up and ``easier`` links go down; a loop either way would let a
    progression or a step back go round forever. The difficulty ranking already rules a
    loop out, but its message would blame one pair; this one names the whole round.
    """

    def ups(e: Exercise) -> list[str]:
        # Going up: e's harder variations, and every exercise that lists e as easier.
        return [*e.harder, *(o.id for o in known.values() if e.id in o.easier)]

    path, seen = [ex.id], {ex.id}

    def walk(current: str) -> bool:
        for nxt in ups(known[current]):
            if nxt == ex.id:
                path.append(nxt)
                return True
            if nxt in known and nxt not in seen:
                seen.add(nxt)
                path.append(nxt)
                if walk(nxt):
                    return True
                path.pop()
        return False

    return path if walk(ex.id) else None


def library_problems(exercises: "tuple[Exercise, ...]") -> list[tuple[str, str, str]]:
    """Every way ``exercises`` fail as one library, as (exercise id, key, message).

    Checked in stages, each only when the one before found nothing: duplicate ids,
    references to unknown ids, loops of easier/harder links, then the difficulty ranking
    (a later stage's messages would only repeat an earlier problem).
    """
    ids = [e.id for e in exercises]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        return [(dupes[0], "id", f"duplicate exercise id(s): {', '.join(dupes)}")]
    known = {e.id: e for e in exercises}
    problems = []
    for e in exercises:
        links = {"easier": e.easier, "harder": e.harder, "instead": tuple(e.instead.values())}
        unknown = {key: [r for r in ids if r not in known] for key, ids in links.items()}
        for key, missing in unknown.items():
            if missing:
                problems.append(
                    (
                        e.id,
                        key,
                        f"exercise '{e.id}' refers to unknown exercise id(s): {', '.join(missing)}",
                    )
                )
    if problems:
        return problems
    reported: set[str] = set()
    for e in exercises:
        loop = None if e.id in reported else _cycle(e, known)
        if loop is not None:
            reported.update(loop)
            problems.append(
                (
                    e.id,
                    "harder",
                    f"easier/harder variations go round in a loop: {' -> '.join(loop)} "
                    "(each step harder than the last); take one of these links out",
                )
            )
    if problems:
        return problems
    # Stand-ins are chosen along these links, so a contradiction here would let a swap
    # for pain land on a harder exercise.
    return [(e.id, *p) for e in exercises for p in _difficulty_problems(e, known)]


class ExerciseLibrary(Frozen):
    """Every exercise a template may name, keyed by id after loading."""

    exercise: tuple[Exercise, ...] = Field(min_length=1, description="The exercises.")

    @model_validator(mode="after")
    def _references_resolve(self) -> "ExerciseLibrary":
        """Ids are unique, every reference names a known exercise and fits the ranking."""
        problems = library_problems(self.exercise)
        if problems:
            more = f" (and {len(problems) - 1} more like it)" if len(problems) > 1 else ""
            raise ValueError(problems[0][2] + more)
        return self

    def by_id(self) -> dict[str, Exercise]:
        """Return the exercises keyed by id."""
        return {e.id: e for e in self.exercise}


class UserExercise(Exercise):
    """An exercise of your own, in a program template or an exercise file of yours.

    Same keys as the shipped library's, plus 'replaces': an id the library has already
    is refused unless 'replaces = true' says to use this entry instead of that one.
    """

    replaces: bool = Field(
        False,
        description="Take the place of the exercise with this id that the library has "
        "already (it keeps that one's place in the list); without it a clashing id is "
        "refused.",
    )

    def plain(self) -> Exercise:
        """This exercise as a library entry (``replaces`` said where it goes, not what it is)."""
        return Exercise.model_validate(self.model_dump(exclude={"replaces"}))


class ExerciseFile(Frozen):
    """A file of your own exercises: '[[exercise]]' tables, checked with the library."""

    exercise: tuple[UserExercise, ...] = Field(
        min_length=1, description="Your exercises, in the shipped library's format."
    )
