"""construct(): models rebuilt from their JSON form equal the validated ones, field types
and all, and no validator is built on the way."""

import contextlib
import datetime as dt
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_serializer

import planner.models
from planner.errors import PlannerError
from planner.models import ExerciseLibrary, Plan, PlanOptions, ProgramTemplate
from planner.models.adapt import Adjustment
from planner.models.calendar import CalendarOptions
from planner.models.common import EQUIPMENT, LEVELS, PAIN_FLAGS, WEEKDAYS
from planner.models.construct import ConstructError, construct
from planner.models.export import PlanExport
from planner.models.log import Checkin, Clearance, LogEntry, Logged
from planner.models.plan import DayRange, PhaseLength, PlanPause, SessionMove, StartLoad
from planner.models.program import Deload
from planner.models.rules import LoadRule
from planner.models.safety import Pause, RedFlagReport, SafetyReport
from planner.models.snapshot import TemplateSnapshot
from planner.plan.generate import generate
from planner.templates import LoadedProgram, load_program, templates_root
from tests.conftest import SLUGS
from tests.fuzzing import fuzz
from tests.test_generator import LIBRARY, _generate, programs_

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


def same_types(a: Any, b: Any, where: str = "", *, fields_set: bool = False) -> None:
    """``a`` (rebuilt) and ``b`` (validated) hold values of the same type everywhere, models
    included; with ``fields_set``, each model also records the same keys as given."""
    if isinstance(b, int) and type(a) is float and not fields_set and where.endswith(UNFAITHFUL):
        assert a == b, where
        return
    assert type(a) is type(b), f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, BaseModel):
        if fields_set:
            assert a.model_fields_set == b.model_fields_set, where
        for name in type(a).model_fields:
            same_types(getattr(a, name), getattr(b, name), f"{where}.{name}", fields_set=fields_set)
    elif isinstance(a, tuple | list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same_types(x, y, f"{where}[{i}]", fields_set=fields_set)
    elif isinstance(a, frozenset | set):
        assert a == b, where
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            same_types(a[k], b[k], f"{where}[{k!r}]", fields_set=fields_set)
    elif isinstance(a, dt.datetime):
        assert a.utcoffset() == b.utcoffset(), where


# Defaults are not validated: Deload.rpe_max's default 6 stays an int in a float field, which
# the full JSON form writes as 6.0 (the form without unset fields keeps it: see round_trip).
UNFAITHFUL = (".deload.rpe_max", "Deload.rpe_max")


def test_unfaithful_defaults_are_the_listed_ones() -> None:
    found = {
        f"{m.__name__}.{name}"
        for m in _all_models()
        for name, info in m.model_fields.items()
        if type(info.default) is int and "float" in repr(info.annotation)
    }
    assert found == {"Deload.rpe_max"}


def round_trip(model: BaseModel) -> None:
    """Every JSON form comes back as ``model``: equal, same types, same dumps; the form
    without unset fields also with the same fields set and defaults of the same type."""
    kind = type(model)
    full = (model.model_dump(mode="json"), json.loads(model.model_dump_json()))
    for data in full:
        back = construct(kind, data)
        assert back == model
        same_types(back, model, kind.__name__)
        assert back.model_dump() == model.model_dump()
        assert back.model_dump_json() == model.model_dump_json()
    back = construct(kind, model.model_dump(mode="json", exclude_unset=True))
    assert back == model
    same_types(back, model, kind.__name__, fields_set=True)
    assert back.model_dump() == model.model_dump()
    assert back.model_dump_json() == model.model_dump_json()
    assert back.model_dump(exclude_unset=True) == model.model_dump(exclude_unset=True)


def _all_models() -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for info in pkgutil.iter_modules(planner.models.__path__):
        module = importlib.import_module(f"planner.models.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseModel) and obj.__module__.startswith("planner.models"):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


@pytest.mark.parametrize("model", _all_models(), ids=lambda m: m.__name__)
def test_every_planner_model_has_a_plan(model: type[BaseModel]) -> None:
    # An annotation construct cannot rebuild raises TypeError; missing keys are data.
    with contextlib.suppress(ConstructError):
        construct(model, {})


def test_the_shipped_library_comes_back(library: ExerciseLibrary) -> None:
    round_trip(library)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_shipped_template_comes_back(
    slug: str, programs: dict[str, LoadedProgram], library: ExerciseLibrary
) -> None:
    loaded = programs[slug]
    round_trip(loaded.program)
    round_trip(loaded.library)
    round_trip(TemplateSnapshot(template=slug, program=loaded.program, library=library))


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*protocol.toml")))
def test_test_templates_come_back(name: str, library: ExerciseLibrary) -> None:
    loaded = load_program(str(DATA / name), library)
    round_trip(loaded.program)
    round_trip(loaded.library)


def test_a_load_rule_with_add_keeps_its_default_increase() -> None:
    # Its serializer leaves 'increase' out beside 'add'; the default comes back.
    rule = LoadRule.model_validate({"kind": "load", "low": 8, "high": 12, "add": 2.5})
    assert "increase" not in rule.model_dump(mode="json")
    round_trip(rule)
    assert construct(LoadRule, rule.model_dump(mode="json")).increase == 0.05


def test_numbers_keep_their_json_type() -> None:
    # JSON keeps 2 and 2.0 apart, and so does the rebuilt model.
    rule = construct(LoadRule, {"kind": "load", "low": 8, "high": 12, "increase": 0.1})
    assert type(rule.increase) is float
    rule = construct(LoadRule, {"kind": "load", "low": 8, "high": 12, "add": 2})
    assert type(rule.add) is int
    assert type(construct(Deload, {}).rpe_max) is int  # its default, as validation keeps it


OPTIONS = st.fixed_dictionaries(
    {"days": st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=5, unique=True)},
    optional={
        "start": st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
        "weeks": st.integers(1, 30),
        "time": st.times().map(lambda t: t.replace(microsecond=0)),
        "tz": st.sampled_from(["Europe/Berlin", "America/New_York", "UTC"]),
        "duration": st.integers(20, 90),
        "avoid": st.lists(st.sampled_from(PAIN_FLAGS), unique=True).map(tuple),
        "equipment": st.lists(st.sampled_from(EQUIPMENT), unique=True).map(tuple),
        "level": st.sampled_from(LEVELS),
        "units": st.sampled_from(["kg", "lb"]),
        "loads": st.just((StartLoad(exercise="hip-thrust", value=32.5, unit="kg"),)),
        "phase_weeks": st.just((PhaseLength(phase="strength", weeks=3),)),
        "skip": st.just((DayRange(first=dt.date(2026, 12, 24), last=dt.date(2026, 12, 26)),)),
        "pauses": st.just((PlanPause(start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 11)),)),
        "moves": st.just((SessionMove(slot="W2S1", date=dt.date(2026, 12, 15)),)),
    },
)


@fuzz(40, suppress_health_check=[HealthCheck.too_slow])
@given(slug=st.sampled_from(SLUGS), fields=OPTIONS)
def test_generated_plans_come_back(slug: str, fields: dict[str, Any]) -> None:
    fields.setdefault("start", dt.date(2026, 12, 7))
    program = load_program(slug, LIBRARY).program
    try:
        options = PlanOptions(**fields)
        plan = generate(slug, program, LIBRARY.by_id(), options)
    except (PlannerError, ValidationError):  # a refused combination proves nothing here
        return
    round_trip(options)
    round_trip(plan)


@fuzz(40, suppress_health_check=[HealthCheck.too_slow])
@given(program=programs_(), units=st.sampled_from(["kg", "lb"]))
def test_random_templates_and_their_plans_come_back(program: ProgramTemplate, units: str) -> None:
    round_trip(program)
    round_trip(_generate(LIBRARY, program, units=units))


def _export(plan: Plan) -> PlanExport:
    """An export with every kind of logged thing and a standing safety stop."""
    when = dt.datetime(2026, 12, 9, 7, 15, 30, 123456, tzinfo=dt.UTC)
    flag = RedFlagReport(
        date=dt.date(2026, 12, 9), kind="swelling", text="Swelling", needs_clearance=True
    )
    safety = SafetyReport(
        today=dt.date(2026, 12, 10),
        paused=True,
        flags=(flag,),
        pauses=(Pause(since=dt.date(2026, 12, 9), flags=(flag,)),),
        to_lift=("a clinician's go-ahead",),
        needs_clearance=True,
        high_mornings=((dt.date(2026, 12, 8), 6),),
    )
    adjustment = Adjustment(
        week=2, kind="regress", phase="activation", slot=0, load=12.5, rule="r", reason="why"
    )
    stop = Adjustment(week=2, kind="stop", rule="r", reason="why")
    plan = plan.model_copy(update={"safety": safety, "adjustments": (adjustment, stop)})
    return PlanExport(
        name="mine",
        revision=3,
        exported_on=dt.date(2026, 12, 10),
        plan=Plan.model_validate(plan.model_dump()),
        log=(
            LogEntry(slot="W1S1", exercise="clamshell", done=(12, 12), pain=2, rpe=6.5),
            LogEntry(slot="W1S2", exercise="hip-thrust", done=(8,), load=20, unit="kg", pain=1),
        ),
        checkins=(
            Checkin(date=dt.date(2026, 12, 9), morning_pain=3, red_flags=("swelling",)),
            Checkin(date=dt.date(2026, 12, 10), morning_pain=1, recorded=when),
        ),
        clearances=(Clearance(date=dt.date(2026, 12, 11), note="ok", kind="phase"),),
    )


def test_an_export_with_everything_comes_back(make_plan: Any) -> None:
    plan = make_plan(time=dt.time(7, 30), tz="Europe/Berlin")
    export = _export(plan)
    round_trip(export)
    when = dt.datetime(2026, 12, 9, 7, 15, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    round_trip(Logged(entry=export.log[0], logged_at=when, replaced=True))
    round_trip(Logged(entry=export.log[1], logged_at=dt.datetime(2026, 12, 9, 7, 15)))


def test_the_golden_export_comes_back() -> None:
    text = (Path(__file__).parent / "golden" / "knee-protocol.json").read_text()
    data = json.loads(text)
    model: type[BaseModel] = PlanExport if data.get("format") == "planner-export" else Plan
    validated = model.model_validate_json(text)
    assert construct(model, data) == validated
    round_trip(validated)


def test_calendar_options_come_back() -> None:
    round_trip(CalendarOptions(name="Knee", color="#ff0000", remind=30, utc=True, title="K"))
    round_trip(CalendarOptions())


# Data that does not have the model's shape: a damaged or foreign file.
BAD: list[tuple[type[BaseModel], object]] = [
    (LoadRule, []),
    (LoadRule, {"kind": "load", "low": 8, "high": 12, "colour": "red"}),
    (LoadRule, {"kind": "load", "low": 8}),
    (LoadRule, {"kind": "load", "low": "8", "high": 12}),
    (LoadRule, {"kind": "load", "low": True, "high": 12}),
    (LoadRule, {"kind": "loads", "low": 8, "high": 12}),
    (LoadRule, {"kind": "load", "low": 8, "high": 12, "increase": "0.05"}),
    (LoadRule, {"kind": "load", "low": 8, "high": 12, "add": []}),
    (Checkin, {"date": "2026-13-01", "morning_pain": 1}),
    (Checkin, {"date": 20261201, "morning_pain": 1}),
    (Checkin, {"date": "2026-12-01", "morning_pain": 1, "red_flags": "swelling"}),
    (Checkin, {"date": "2026-12-01", "morning_pain": 1, "red_flags": ["itching"]}),
    (SafetyReport, {"today": "2026-12-01", "high_mornings": [["2026-12-01"]]}),
    (PlanExport, {"plan": None}),
]


@pytest.mark.parametrize(("model", "data"), BAD)
def test_data_of_another_shape_is_refused(model: type[BaseModel], data: object) -> None:
    with pytest.raises(ConstructError):
        construct(model, data)


def test_an_unknown_rule_kind_is_refused(programs: dict[str, LoadedProgram]) -> None:
    data = programs["hip-knee"].program.model_dump(mode="json")
    entry = next(e for p in data["phases"] for e in p["exercises"] if e["progression"])
    entry["progression"][0]["kind"] = "magic"
    with pytest.raises(ConstructError, match="kind"):
        construct(ProgramTemplate, data)
    entry["progression"][0] = "reps"
    with pytest.raises(ConstructError):
        construct(ProgramTemplate, data)


class _Lazy(BaseModel):
    # Never built: pydantic itself would refuse some of these when building.
    model_config = ConfigDict(defer_build=True)


class _Inner(_Lazy):
    a: int = 0


class _Other(_Lazy):
    b: int = 0


class _TextOrDate(_Lazy):
    value: str | dt.date


class _IntOrFloat(_Lazy):
    value: int | float


class _Models(_Lazy):
    value: _Inner | _Other


class _IntKeys(_Lazy):
    value: dict[int, str]


class _Serialized(_Lazy):
    value: int

    @field_serializer("value")
    def _twice(self, value: int) -> int:
        return value * 2


class _Delta(_Lazy):
    value: dt.timedelta


class _Aliased(_Lazy):
    value: int = Field(alias="v")


class _Tagless(_Lazy):
    value: _Inner | _Other = Field(discriminator="a")


class _Anything(_Lazy):
    value: Any


@pytest.mark.parametrize(
    "model",
    [
        _TextOrDate,
        _IntOrFloat,
        _Models,
        _IntKeys,
        _Serialized,
        _Delta,
        _Aliased,
        _Tagless,
        _Anything,
    ],
    ids=lambda m: m.__name__,
)
def test_an_annotation_it_would_have_to_guess_is_refused(model: type[BaseModel]) -> None:
    with pytest.raises(TypeError):
        construct(model, {"value": 1})


class _Literals(_Lazy):
    value: int | Literal["X"] | None = None
    tags: Literal["a", 1] | None = None


def test_unions_are_told_apart_by_json_type_and_literal_value() -> None:
    assert construct(_Literals, {"value": "X"}).value == "X"
    assert construct(_Literals, {"value": 3}).value == 3
    assert construct(_Literals, {"value": None}).value is None
    assert construct(_Literals, {"tags": 1}).tags == 1
    for bad in ({"value": "Y"}, {"value": 3.0}, {"value": True}, {"tags": True}):
        with pytest.raises(ConstructError):
            construct(_Literals, bad)


# Run in a fresh interpreter: the models there have built nothing yet.
PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    from pydantic import BaseModel
    from pydantic._internal._mock_val_ser import MockValSer
    import planner.models
    from planner.models.construct import construct

    def models():
        for info in pkgutil.iter_modules(planner.models.__path__):
            module = importlib.import_module("planner.models." + info.name)
            for obj in vars(module).values():
                if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel:
                    yield obj

    def built():
        return sorted(
            m.__name__ for m in models()
            if m.__pydantic_complete__
            or not isinstance(m.__dict__.get("__pydantic_validator__"), MockValSer)
        )

    data = json.loads(open(sys.argv[1]).read())
    from planner.models import ExerciseLibrary, Plan, ProgramTemplate
    from planner.models.export import PlanExport
    for form in ("full", "set"):
        library = construct(ExerciseLibrary, data[form]["library"])
        program = construct(ProgramTemplate, data[form]["program"])
        plan = construct(Plan, data[form]["plan"])
        export = construct(PlanExport, data[form]["export"])
        assert library.by_id()["clamshell"].name and program.weeks and plan.sessions[0].slot
        # Defaults made by a model's class (Plan.rules, ProgramTemplate.adapt) are filled in.
        assert program.adapt.pain_max and plan.rules.pain_max and export.plan.rules
    before = built()
    # The signal is real: validating builds the validator and it shows.
    ExerciseLibrary.model_validate(data["full"]["library"])
    print(json.dumps({"before": before, "after": built()}))
    """
)


def test_construct_builds_no_validator(
    tmp_path: Path, programs: dict[str, LoadedProgram], make_plan: Any
) -> None:
    loaded = programs["hip-knee"]
    plan = make_plan()
    models = {
        "library": loaded.library,
        "program": loaded.program,
        "plan": plan,
        "export": _export(plan),
    }
    # Both JSON forms: all fields, and without the unset ones (their defaults filled in).
    data = {
        "full": {k: m.model_dump(mode="json") for k, m in models.items()},
        "set": {k: m.model_dump(mode="json", exclude_unset=True) for k, m in models.items()},
    }
    assert "adapt" not in data["set"]["program"]  # hip-knee has no [adapt] table
    (tmp_path / "data.json").write_text(json.dumps(data))
    (tmp_path / "probe.py").write_text(PROBE)
    out = subprocess.run(
        [sys.executable, str(tmp_path / "probe.py"), str(tmp_path / "data.json")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    result = json.loads(out.stdout)
    assert result["before"] == []
    assert "ExerciseLibrary" in result["after"]


def test_templates_root_is_the_source_tree() -> None:
    # The tests read the shipped files from this checkout, not from an older install.
    assert templates_root().resolve().is_relative_to(ROOT)
