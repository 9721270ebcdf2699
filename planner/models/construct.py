"""Models rebuilt from JSON the planner wrote itself, without building a validator (pure).

A pydantic model's validator is built the first time the model validates anything, and for
the planner's models that costs tens of milliseconds in every fresh process: more than the
rest of a command. Data the planner produced and validated before (a cached template, a
saved revision) does not need checking again, only turning back into models.
:func:`construct` does that from the JSON form (``model.model_dump(mode="json")``) by
``model_construct``, field by field, converting each value by the field's annotation:
nested models, tuples, lists, sets, dicts, unions, dates and times, literals, enums and
plain numbers and strings.

It checks the data's *shape* (every key known, every required key there, every value of
the type its annotation says, literal tags among their values) and raises
:class:`ConstructError` when it does not fit, so a damaged or foreign file is noticed. It
does not check the *constraints* (bounds, patterns, cross-field rules): that is what
validation is for, and the data it is given has passed it already.

An annotation it cannot turn back without guessing (a union of two members that both
accept the same JSON value, a custom serializer whose inverse it cannot know, a type it
does not know) raises :class:`TypeError` the first time the model is used, so a test
catches a model it cannot handle before any data does.

The one difference from the validated model is ``model_fields_set``: it is every key of
the data (the JSON form writes every field), where validation of a template records only
the keys the template wrote.
"""

import datetime as dt
import enum
import types
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, PlainSerializer, WrapSerializer
from pydantic.fields import FieldInfo

from planner.models.rules import LoadRule

M = TypeVar("M", bound=BaseModel)

Converter = Callable[[Any], Any]


class ConstructError(ValueError):
    """The data does not have the shape of the model's JSON form (damaged or foreign)."""


def construct(model: type[M], data: Any) -> M:
    """``model`` built from ``data``, its JSON form, with no validator built or run.

    ``data`` is what ``model.model_dump(mode="json")`` gives (or ``json.loads`` of
    ``model_dump_json()``) for an instance that was validated before; the result is equal
    to that instance, with the same type in every field.

    Raises:
        ConstructError: ``data`` does not have the model's shape.
        TypeError: ``model`` holds an annotation that cannot be turned back without
            guessing (a fault of the model, not of the data).
    """
    return _build(model, data)


class _Plan:
    """How to build one model: a converter for each field and the fields it must have."""

    __slots__ = ("factories", "fields", "required")

    def __init__(
        self,
        fields: dict[str, Converter],
        required: frozenset[str],
        factories: dict[str, type[BaseModel]],
    ) -> None:
        self.fields = fields
        self.required = required
        # Fields whose default is a model made by calling its class (``AdaptSettings()``),
        # which would validate and so build that model's validator: built here instead.
        self.factories = factories


# One plan per model class, derived on first use: repeated calls only look it up.
_PLANS: dict[type[BaseModel], _Plan] = {}

# Models with a serializer of their own whose JSON form is still read back field by field.
# LoadRule's leaves out 'increase' beside 'add'; its validator refuses an 'increase' given
# with 'add', so the left-out value is always the default, which model_construct fills in.
_SERIALIZERS_UNDERSTOOD: frozenset[type[BaseModel]] = frozenset({LoadRule})


def _build(model: type[M], data: Any) -> M:
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = _plan(model)
    if type(data) is not dict:
        raise ConstructError(f"{model.__name__}: expected an object, got {type(data).__name__}")
    values: dict[str, Any] = {}
    fields = plan.fields
    for key, item in data.items():
        convert = fields.get(key)
        if convert is None:
            raise ConstructError(f"{model.__name__}: unknown key {key!r}")
        values[key] = convert(item)
    if not plan.required <= values.keys():
        missing = sorted(plan.required - values.keys())
        raise ConstructError(f"{model.__name__}: missing {', '.join(missing)}")
    for key, factory in plan.factories.items():
        if key not in values:
            values[key] = _build(factory, {})
    # The defaults filled in are not in model_fields_set, as after validation.
    return model.model_construct(set(data), **values)


def _plan(model: type[BaseModel]) -> _Plan:
    """The field converters of ``model``, refusing what model_construct cannot rebuild."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"{model!r} is not a pydantic model")
    name = model.__name__
    if model.__pydantic_root_model__ or model.__pydantic_generic_metadata__["parameters"]:
        raise TypeError(f"{name}: root and generic models are not supported")
    if model.model_config.get("extra") == "allow" or model.__private_attributes__:
        raise TypeError(f"{name}: extra keys and private attributes are not supported")
    if model.__pydantic_post_init__ or model.model_computed_fields:
        raise TypeError(f"{name}: post-init hooks and computed fields are not supported")
    if not getattr(model, "__pydantic_fields_complete__", True):
        raise TypeError(f"{name}: its annotations are not all resolved")
    decorators = model.__pydantic_decorators__
    if decorators.field_serializers or (
        decorators.model_serializers and model not in _SERIALIZERS_UNDERSTOOD
    ):
        raise TypeError(f"{name}: a custom serializer's JSON form cannot be read back")
    fields: dict[str, Converter] = {}
    required = []
    factories: dict[str, type[BaseModel]] = {}
    for field_name, info in model.__pydantic_fields__.items():
        if info.alias is not None or info.validation_alias is not None:
            raise TypeError(f"{name}.{field_name}: aliases are not supported")
        where = f"{name}.{field_name}"
        fields[field_name] = _converter(info.annotation, where, info.discriminator)
        if info.is_required():
            required.append(field_name)
        factory = info.default_factory
        if isinstance(factory, type) and issubclass(factory, BaseModel):
            factories[field_name] = factory
    return _Plan(fields, frozenset(required), factories)


def _converter(tp: Any, where: str, discriminator: Any = None) -> Converter:
    """A function from a JSON value to the python value annotation ``tp`` holds."""
    origin = get_origin(tp)
    if origin is Annotated:
        base, *metadata = get_args(tp)
        for meta in metadata:
            if isinstance(meta, PlainSerializer | WrapSerializer):
                raise TypeError(f"{where}: a custom serializer's JSON form cannot be read back")
            if isinstance(meta, FieldInfo) and meta.discriminator is not None:
                discriminator = meta.discriminator
        return _converter(base, where, discriminator)
    if origin is Union or origin is types.UnionType:
        return _union(get_args(tp), where, discriminator)
    if discriminator is not None:
        raise TypeError(f"{where}: a discriminator on {tp!r}, which is not a union")
    if origin is Literal:
        return _literal(get_args(tp), where)
    if origin in (tuple, list, frozenset, set, dict):
        return _container(origin, get_args(tp), where)
    if isinstance(tp, type):
        if issubclass(tp, BaseModel):
            return lambda value: _build(tp, value)
        if issubclass(tp, enum.Enum):
            return _enum(tp, where)
        scalar = _SCALARS.get(tp)
        if scalar is not None:
            return scalar(where)
    raise TypeError(f"{where}: cannot rebuild a value of {tp!r} from JSON")


def _fail(where: str, expected: str, value: Any) -> ConstructError:
    return ConstructError(f"{where}: expected {expected}, got {type(value).__name__}")


def _exact(kind: type, expected: str) -> Callable[[str], Converter]:
    """A converter that accepts values of exactly ``kind`` (a bool is no int here)."""

    def make(where: str) -> Converter:
        def convert(value: Any) -> Any:
            if type(value) is not kind:
                raise _fail(where, expected, value)
            return value

        return convert

    return make


def _float(where: str) -> Converter:
    def convert(value: Any) -> Any:
        # Kept as it is, int or float: JSON keeps the difference (6 is not 6.0), and a
        # float field may hold an int its default gave it (defaults are not validated).
        if type(value) is not float and type(value) is not int:
            raise _fail(where, "a number", value)
        return value

    return convert


def _iso(kind: type[dt.date] | type[dt.time]) -> Callable[[str], Converter]:
    """A converter from pydantic's ISO 8601 text of a date, datetime or time."""

    def make(where: str) -> Converter:
        def convert(value: Any) -> Any:
            if type(value) is not str:
                raise _fail(where, f"{kind.__name__} text", value)
            try:
                return kind.fromisoformat(value)
            except ValueError:
                raise ConstructError(f"{where}: not a {kind.__name__}: {value!r}") from None

        return convert

    return make


def _none(where: str) -> Converter:
    def convert(value: Any) -> Any:
        if value is not None:
            raise _fail(where, "null", value)
        return None

    return convert


_SCALARS: dict[type, Callable[[str], Converter]] = {
    str: _exact(str, "text"),
    int: _exact(int, "an integer"),
    bool: _exact(bool, "true or false"),
    float: _float,
    type(None): _none,
    # datetime before date would not matter here: the lookup is by exact type.
    dt.datetime: _iso(dt.datetime),
    dt.date: _iso(dt.date),
    dt.time: _iso(dt.time),
}


def _literal(values: tuple[Any, ...], where: str) -> Converter:
    # Compared with their types: True == 1, but a tag of 1 is not a tag of True.
    allowed = {(type(v), v): v for v in values}
    if not all(type(v) in (str, int, bool) or v is None for v in values):
        raise TypeError(f"{where}: a literal of other than text, numbers, booleans or None")

    def convert(value: Any) -> Any:
        try:
            return allowed[(type(value), value)]
        except (KeyError, TypeError):  # TypeError: an unhashable value (a list)
            raise ConstructError(f"{where}: {value!r} is not one of {list(values)}") from None

    return convert


def _enum(kind: type[enum.Enum], where: str) -> Converter:
    members = {(type(m.value), m.value): m for m in kind}
    if not all(type(m.value) in (str, int) for m in kind):
        raise TypeError(f"{where}: enum {kind.__name__} has values other than text or integers")

    def convert(value: Any) -> Any:
        try:
            return members[(type(value), value)]
        except (KeyError, TypeError):
            raise ConstructError(f"{where}: {value!r} is not a {kind.__name__}") from None

    return convert


def _container(origin: Any, args: tuple[Any, ...], where: str) -> Converter:
    if origin is dict:
        if len(args) != 2:
            raise TypeError(f"{where}: a dict needs its key and value types")
        key_type = args[0]
        while get_origin(key_type) is Annotated:
            key_type = get_args(key_type)[0]
        # JSON keys are text: only text keys come back as they were.
        literal = get_origin(key_type) is Literal
        if not (key_type is str or (literal and all(type(v) is str for v in get_args(key_type)))):
            raise TypeError(f"{where}: dict keys other than text do not survive JSON")
        key, item = _converter(args[0], f"{where} key"), _converter(args[1], f"{where}[]")

        def convert_dict(value: Any) -> Any:
            if type(value) is not dict:
                raise _fail(where, "an object", value)
            return {key(k): item(v) for k, v in value.items()}

        return convert_dict
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        if not args or args == ((),):
            raise TypeError(f"{where}: a tuple without item types")
        items = [_converter(a, f"{where}[{i}]") for i, a in enumerate(args)]

        def convert_fixed(value: Any) -> Any:
            if type(value) is not list or len(value) != len(items):
                raise _fail(where, f"an array of {len(items)}", value)
            return tuple(c(v) for c, v in zip(items, value, strict=True))

        return convert_fixed
    if len(args) not in (1, 2):
        raise TypeError(f"{where}: a {origin.__name__} without its item type")
    item = _converter(args[0], f"{where}[]")
    make: Callable[[Any], Any] = origin

    def convert_many(value: Any) -> Any:
        if type(value) is not list:
            raise _fail(where, "an array", value)
        return make(item(v) for v in value) if make is not list else [item(v) for v in value]

    return convert_many


# The JSON types each kind of annotation accepts, to tell the members of a union apart.
_JSON_TYPES: dict[type, frozenset[type]] = {
    str: frozenset({str}),
    int: frozenset({int}),
    bool: frozenset({bool}),
    float: frozenset({float, int}),
    type(None): frozenset({type(None)}),
    dt.datetime: frozenset({str}),
    dt.date: frozenset({str}),
    dt.time: frozenset({str}),
}


def _claim(tp: Any, where: str) -> tuple[frozenset[type], frozenset[tuple[type, Any]] | None]:
    """The JSON types a union member accepts, and for a literal (or enum) its values."""
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    origin = get_origin(tp)
    if origin is Literal:
        values = frozenset((type(v), v) for v in get_args(tp))
        return frozenset(t for t, _ in values), values
    if origin in (tuple, list, frozenset, set):
        return frozenset({list}), None
    if origin is dict:
        return frozenset({dict}), None
    if isinstance(tp, type):
        if issubclass(tp, BaseModel):
            return frozenset({dict}), None
        if issubclass(tp, enum.Enum):
            values = frozenset((type(m.value), m.value) for m in tp)
            return frozenset(t for t, _ in values), values
        if tp in _JSON_TYPES:
            return _JSON_TYPES[tp], None
    raise TypeError(f"{where}: cannot tell {tp!r} apart in a union")


def _union(members: tuple[Any, ...], where: str, discriminator: Any) -> Converter:
    if discriminator is not None:
        return _tagged(members, where, discriminator)
    claims = [(_claim(m, where), _converter(m, where)) for m in members]
    # Refuse to guess: two members that accept one JSON value would make it ambiguous
    # (only literals of different values may share a JSON type).
    for i, ((types_a, values_a), _) in enumerate(claims):
        for (types_b, values_b), _ in claims[i + 1 :]:
            if not types_a & types_b:
                continue
            if values_a is None or values_b is None or values_a & values_b:
                raise TypeError(f"{where}: the members of {members!r} overlap in JSON")
    tried = [(types_, values, convert) for (types_, values), convert in claims]

    def convert(value: Any) -> Any:
        kind = type(value)
        for types_, values, member in tried:
            if kind in types_ and (values is None or (kind, value) in values):
                return member(value)
        raise ConstructError(f"{where}: {value!r} fits none of the union's members")

    return convert


def _tagged(members: tuple[Any, ...], where: str, discriminator: Any) -> Converter:
    """A union of models told apart by a literal field (pydantic's discriminator)."""
    if not isinstance(discriminator, str):
        raise TypeError(f"{where}: only a discriminator naming a field is supported")
    by_tag: dict[tuple[type, Any], type[BaseModel]] = {}
    optional = False
    for member in members:
        if member is type(None):
            optional = True
            continue
        if not (isinstance(member, type) and issubclass(member, BaseModel)):
            raise TypeError(f"{where}: a tagged union of {member!r}, not a model")
        field = member.__pydantic_fields__.get(discriminator)
        tag_type = None if field is None else field.annotation
        if get_origin(tag_type) is not Literal:
            raise TypeError(f"{where}: {member.__name__}.{discriminator} is not a literal")
        for tag in get_args(tag_type):
            if (type(tag), tag) in by_tag:
                raise TypeError(f"{where}: two members share the tag {tag!r}")
            by_tag[(type(tag), tag)] = member

    def convert(value: Any) -> Any:
        if value is None and optional:
            return None
        if type(value) is not dict:
            raise _fail(where, "an object", value)
        tag = value.get(discriminator)
        try:
            model = by_tag.get((type(tag), tag))
        except TypeError:  # an unhashable tag (a list)
            model = None
        if model is None:
            raise ConstructError(f"{where}: unknown {discriminator} {tag!r}")
        return _build(model, value)

    return convert
