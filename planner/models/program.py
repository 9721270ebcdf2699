"""Program templates: phases of dosed exercises with their progression rules."""

import re
from collections.abc import Callable
from typing import Annotated

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PositiveInt,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from planner.models.adapt import AdaptSettings
from planner.models.common import DEFAULT_BANDS, Frozen, Units, plain_text
from planner.models.exercise import ExerciseId, Prose, Text, UserExercise
from planner.models.rules import COUNT_RULES, Rule
from planner.models.tempo import Tempo

Count = Annotated[int, Field(ge=1, le=500)]
Seconds = Annotated[int, Field(ge=1, le=600)]
# Loads and steps in the template's units. The lower ends are the smallest weights sold
# (0.25 kg fractional plates, about half a pound); smaller is a typo that would round to
# a prescription of 0 kg. 1000 is past any human lift; steps above 50 are never one step.
Load = Annotated[float, Field(ge=0.25, le=1000)]
Increment = Annotated[float, Field(ge=0.25, le=50)]
Rpe = Annotated[float, Field(ge=1, le=10)]
# The most the planner's own steps may raise a load from one week to the next. ACSM's
# load steps are +2-10 %: above 10 % is not a progression step (an author who wants a bigger
# jump writes the load, which the cap leaves alone); below 2 % no plate makes a step.
WeeklyRise = Annotated[float, Field(ge=0.02, le=0.10)]
_RISE = (
    "The most the planner may raise a load from one week to the next, as a fraction "
    "(0.05 = +5 %); 0.02-0.10, 0.10 unless set. Loads the template writes (a phase's "
    "start, a pin) are kept as written."
)


# A training day's label as printed ("Day A", "Day Upper"): short, no punctuation.
def _label(pattern: str, rule: str) -> Callable[[str], str]:
    """A check that a label matches ``pattern``, saying ``rule`` in plain words if not
    (the pattern itself means nothing to a person writing a template)."""
    shape = re.compile(pattern)

    def check(value: str) -> str:
        if shape.fullmatch(value) is None:
            raise ValueError(f"{rule}; got {value!r}")
        return value

    return check


DayName = Annotated[
    str,
    AfterValidator(
        _label(
            r"[A-Za-z0-9][A-Za-z0-9 -]{0,19}",
            "a day is 1-20 letters (A-Z), digits, spaces or dashes, starting with a letter "
            'or digit, such as "A" or "Upper"',
        )
    ),
    WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9 -]{0,19}$"}),
]

# A DOI as printed in a paper, without "doi:" or a URL, and a web address of a source.
_DOI = r"10\.[0-9]{4,9}/\S+"
_WEB = r"https?://\S+"
Doi = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    AfterValidator(
        _label(
            _DOI,
            'a DOI starts with "10." and a slash follows, such as '
            '"10.2519/jospt.2019.0302" (without "doi:" or "https://")',
        )
    ),
    WithJsonSchema({"type": "string", "pattern": f"^{_DOI}$", "maxLength": 200}),
]
WebAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=500),
    AfterValidator(
        _label(_WEB, "a web address starts with https:// (or http://) and has no spaces")
    ),
    WithJsonSchema({"type": "string", "pattern": f"^{_WEB}$", "maxLength": 500}),
]

# The author's words shown with an exercise: one line, short enough for a calendar event
# and a printed table cell.
_ONE_LINE = BeforeValidator(plain_text("", "write it as plain text on one line"))
Note = Annotated[
    str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True), _ONE_LINE
]
DisplayName = Annotated[
    str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True), _ONE_LINE
]
GroupLabel = Annotated[
    str,
    AfterValidator(
        _label(r"[A-Za-z0-9]{1,8}", 'a group is 1-8 letters (A-Z) or digits, such as "A"')
    ),
    WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z0-9]{1,8}$"}),
]

_TEMPO = Field(
    None,
    description='Tempo of each repetition: "3-1-5" is 3 s down, 1 s pause, 5 s up (a 4th '
    "number is a pause at the top, X an explosive lift), or a table { down = 3, up = 1 }.",
)
_NOTE = Field(None, description="A note from the program's author, shown with the exercise.")


def _no_tempo_on_holds(tempo: object, seconds: int | None) -> None:
    if tempo is not None and seconds is not None:
        raise ValueError("a hold (seconds) has no repetitions to give a tempo; remove tempo")


class Pin(Frozen):
    """Exact dosage for one week of the phase, overriding the rules (published protocols)."""

    week: PositiveInt
    exercise: ExerciseId | None = Field(
        None,
        description="Another exercise for this week only (its dose must be of that exercise's "
        "kind); the entry's own exercise goes on the week after.",
    )
    sets: Annotated[int, Field(ge=1, le=10)] | None = None
    reps: Count | None = None
    steps: Count | None = None
    seconds: Seconds | None = None
    band: Text | None = None
    load: Load | None = None
    tempo: Tempo | None = Field(
        None, description="Tempo for this week only, in place of the exercise's own."
    )
    note: Note | None = Field(None, description="A note for this week, in place of the entry's.")


class Dosage(Frozen):
    """Starting dose of an exercise: sets plus the count that matches its dose kind."""

    sets: Annotated[int, Field(ge=1, le=10)]
    reps: Count | None = None
    steps: Count | None = None
    seconds: Seconds | None = None
    band: Text | None = None
    load: Load | None = None
    increment: Increment | None = None
    rest: Annotated[int, Field(ge=0, le=600)] | None = None


class ExerciseEntry(Dosage):
    """An exercise as prescribed in a phase, with the rules that move it on week by week."""

    exercise: ExerciseId
    progression: tuple[Rule, ...] = ()
    pins: tuple[Pin, ...] = ()
    max_weekly_rise: WeeklyRise | None = Field(
        None, description=f"{_RISE} Wins over the program's."
    )
    day: DayName | None = Field(
        None,
        description="The training day this entry belongs to (one of its phase's 'days'); "
        "without it the entry is in every session.",
    )
    weeks: tuple[Annotated[int, Field(ge=1, le=52)], ...] = Field(
        (),
        description="Weeks of the phase (1 = its first) the entry is done in; empty = every "
        "week. Its progression starts in the first of them.",
    )
    tempo: Tempo | None = _TEMPO
    note: Note | None = _NOTE
    name: DisplayName | None = Field(
        None,
        description="The name printed for this entry (a combined move); the log and the "
        "stand-ins still go by the exercise id. A stand-in is shown by its own name.",
    )
    group: GroupLabel | None = Field(
        None,
        description="Superset or circuit label: entries of a phase with the same label "
        "(written one after another) are done back to back, with the rest after each "
        "round; the round's rest is the largest rest of its entries.",
    )

    @model_validator(mode="after")
    def _one_dose_and_one_count_rule(self) -> "ExerciseEntry":
        given = [f for f in ("reps", "steps", "seconds") if getattr(self, f) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of reps, steps or seconds")
        _no_tempo_on_holds(self.tempo, self.seconds)
        for pin in self.pins:
            # A pin that puts another exercise in is a hold when it gives seconds.
            _no_tempo_on_holds(pin.tempo, pin.seconds if pin.exercise else self.seconds)
        weeks = [pin.week for pin in self.pins]
        twice = sorted({w for w in weeks if weeks.count(w) > 1})
        if twice:
            raise ValueError(
                f"two pins for week {twice[0]}; write everything for a week in one pin"
            )
        kinds = [r.kind for r in self.progression]
        counters = [k for k in kinds if k in COUNT_RULES]
        if len(counters) > 1:
            raise ValueError(f"rules {' and '.join(counters)} both change the rep count")
        if len(set(kinds)) != len(kinds):
            raise ValueError("each rule kind may appear once per exercise")
        if "load" in kinds and self.load is None:
            raise ValueError("a 'load' rule needs a starting load")
        if "band" in kinds and self.band is None:
            raise ValueError("a 'band' rule needs a starting band")
        for rule in self.progression:
            if rule.kind in ("band", "load"):
                start = self.reps if self.reps is not None else self.steps
                if start is not None and not rule.low <= start <= rule.high:
                    raise ValueError(
                        f"starting count {start} is outside the {rule.kind} rule's range "
                        f"{rule.low}-{rule.high}"
                    )
        return self

    @model_validator(mode="after")
    def _whole_load_steps(self) -> "ExerciseEntry":
        # A step of 'add' has to be made of whole increments, or rounding would change it
        # into another step (0.5 kg on 2.5 kg plates: no step, or a 2.5 kg one).
        for rule in self.progression:
            if rule.kind != "load" or rule.add is None:
                continue
            if self.increment is None:
                raise ValueError(
                    f"a load rule with add = {rule.add:g} needs the entry's increment (the "
                    "smallest load step your weights allow), so the step can be checked"
                )
            steps = rule.add / self.increment
            if abs(steps - round(steps)) > 1e-6:
                raise ValueError(
                    f"add = {rule.add:g} is not a whole number of increment = "
                    f"{self.increment:g} steps; make add a multiple of the increment"
                )
        return self


class Phase(Frozen):
    """A block of weeks with one goal, effort target and list of exercises."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z-]*$")]
    goal: Text
    weeks: Annotated[int, Field(ge=1, le=52)]
    sessions_per_week: Annotated[int, Field(ge=1, le=7)]
    rpe: tuple[Rpe, Rpe]
    rest: Annotated[int, Field(ge=0, le=600)]
    min_hours_between: Annotated[int, Field(ge=0, le=96)] = 0
    minutes: Annotated[int, Field(ge=5, le=180)] = 40
    exercises: tuple[ExerciseEntry, ...] = Field(min_length=1)
    days: tuple[DayName, ...] = Field(
        (),
        description="Training days the sessions rotate through in order (session 1 is the "
        "first day, session 2 the next, on across weeks); empty = every session alike.",
    )

    @model_validator(mode="after")
    def _rpe_ordered(self) -> "Phase":
        if self.rpe[0] > self.rpe[1]:
            raise ValueError(f"rpe low ({self.rpe[0]}) is above high ({self.rpe[1]})")
        check_groups(self.exercises)
        return self


def check_groups(entries: tuple[ExerciseEntry, ...]) -> None:
    """Refuse a superset or circuit that cannot be done as written: one split by other
    exercises (the outputs show a group as one block, so its order would change), or one
    of a single exercise (nothing to do back to back)."""
    # Entries of different training days never share a session, so a label is per day.
    keys = [None if e.group is None else (getattr(e, "day", None), e.group) for e in entries]
    seen: set[tuple[object, str]] = set()
    for i, key in enumerate(keys):
        if key is None or (i > 0 and keys[i - 1] == key):
            continue
        if key in seen:
            raise ValueError(
                f"group '{key[1]}': its exercises are not written one after another; "
                "move them together (a group is done back to back)"
            )
        seen.add(key)
        if keys.count(key) < 2:
            raise ValueError(
                f"group '{key[1]}' has one exercise; a superset or circuit needs two or more "
                "(remove 'group' or give it to the exercise done with it)"
            )


class Block(Frozen):
    """Warm-up or cool-down done the same way every session."""

    minutes: Annotated[int, Field(ge=1, le=60)]
    activity: Text | None = None
    exercises: tuple[ExerciseEntry, ...] = ()

    @model_validator(mode="after")
    def _no_progression(self) -> "Block":
        if any(e.progression or e.pins for e in self.exercises):
            raise ValueError("warm-up and cool-down exercises do not progress; remove the rules")
        if any(e.day is not None or e.weeks for e in self.exercises):
            raise ValueError(
                "warm-up and cool-down exercises are done every session; remove 'day' and 'weeks'"
            )
        if any(e.group for e in self.exercises):
            raise ValueError("warm-up and cool-down exercises are not grouped; remove 'group'")
        return self


class Deload(Frozen):
    """Planned lighter weeks: every 'every'-th week and/or the listed plan weeks."""

    every: Annotated[int, Field(ge=2, le=52)] | None = 5
    weeks: tuple[PositiveInt, ...] = ()
    min_plan_weeks: PositiveInt = 8
    volume_cut: Annotated[float, Field(ge=0.4, le=0.6)] = 0.5
    load_cut: Annotated[float, Field(ge=0.0, le=0.2)] = 0.10
    band_down: Annotated[int, Field(ge=0, le=2)] = 1
    rpe_max: Rpe = 6


_CITATION_KEYS = ("authors", "year", "title", "where", "url", "doi")


class Source(Frozen):
    """Where a template's facts come from, written so a reader can look it up: authors, year,
    title and where it was published (a journal, a book, a site), with a DOI or web address
    where there is one, and what in the template it supports."""

    authors: Text | None = Field(
        None, description='Who wrote it, as cited: "Ferber R, et al." or "Bret Contreras".'
    )
    year: Annotated[int, Field(ge=1800, le=2200)] | None = Field(
        None, description="The year it was published."
    )
    title: Text | None = Field(None, description="The title of the paper, book, page or post.")
    where: Text | None = Field(
        None,
        description="Where it was published: a journal with volume and pages, a book, or a "
        'site ("Journal of Athletic Training 50(4):366-377", "TheraBand Academy").',
    )
    url: WebAddress | None = Field(None, description="A web address to read it at.")
    doi: Doi | None = Field(None, description='Its DOI, such as "10.2519/jospt.2019.0302".')
    ref: Text | None = Field(
        None,
        description="The older one-line form of a source. Still read, but write authors, "
        "year, title and where instead, so a reader can find it.",
    )
    supports: Prose = Field(description="What in the template this source supports.")

    @model_validator(mode="after")
    def _one_form(self) -> "Source":
        given = [k for k in _CITATION_KEYS if getattr(self, k) is not None]
        if self.ref is not None and given:
            raise ValueError(
                f"give either 'ref' (the older one-line form) or {', '.join(given)}, not "
                "both; remove 'ref'"
            )
        if self.ref is None and self.title is None and self.where is None:
            raise ValueError(
                "a source needs a 'title' or 'where' (the journal, book or site it was "
                "published in), best both, so a reader can find it"
            )
        return self

    def citation(self) -> str:
        """The source on one line, as a reader would look it up: "Authors (year). Title.
        Where. doi:..." (or the older one-line 'ref' as written)."""
        if self.ref is not None:
            return self.ref
        head = self.authors or ""
        if self.year is not None:
            head = f"{head} ({self.year})" if head else str(self.year)
        parts = [p for p in (head, self.title, self.where) if p]
        # A title may end in its own "?" or "!"; only the others get a full stop.
        text = " ".join(p if p[-1] in ".?!" else f"{p}." for p in parts)
        if self.doi is not None:
            text += f" doi:{self.doi}"
        elif self.url is not None:
            text += f" {self.url}"
        return text


class ProgramTemplate(Frozen):
    """A whole program template: its phases of dosed exercises, the warm-up and cool-down,
    deloads, adapt settings and the sources it follows."""

    title: Text
    summary: Prose
    sources: tuple[Source, ...] = Field(min_length=1)
    units: Units = "kg"
    bands: tuple[Text, ...] = DEFAULT_BANDS
    knee_focus: bool = False
    warmup: Block
    cooldown: Block
    phases: tuple[Phase, ...] = Field(min_length=1)
    deload: Deload | None = None
    adapt: AdaptSettings = Field(default_factory=AdaptSettings)
    max_weekly_rise: WeeklyRise | None = Field(None, description=_RISE)
    exercises: tuple[UserExercise, ...] = Field(
        (),
        description="Exercises of your own, written here as [[exercises]] tables with the "
        "keys of the exercise library; added after the shipped library, your personal "
        "library and 'exercise_files'.",
    )
    exercise_files: tuple[Text, ...] = Field(
        (),
        description="Files of your own exercises ([[exercise]] tables, as in the shipped "
        "library) to add, relative to this template's folder or absolute.",
    )

    @field_validator("bands")
    @classmethod
    def _some_bands(cls, bands: tuple[str, ...]) -> tuple[str, ...]:
        # Generation starts every stand-in with a band on the ladder's lightest colour.
        if not bands:
            raise ValueError("the band ladder is empty; leave 'bands' out for the standard colours")
        return bands

    @model_validator(mode="after")
    def _phases_and_bands(self) -> "ProgramTemplate":
        names = [p.name for p in self.phases]
        if len(set(names)) != len(names):
            raise ValueError(f"phase names must be unique, got {', '.join(names)}")
        if len(set(self.bands)) != len(self.bands):
            raise ValueError("band ladder lists a colour twice")
        return self

    @field_validator("exercise_files")
    @classmethod
    def _each_file_once(cls, files: tuple[str, ...]) -> tuple[str, ...]:
        twice = next((f for f in files if files.count(f) > 1), None)
        if twice is not None:
            raise ValueError(f"lists '{twice}' twice; name each file once")
        return files

    @property
    def weeks(self) -> int:
        """Default plan length: the sum of the phase lengths."""
        return sum(p.weeks for p in self.phases)
