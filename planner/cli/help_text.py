"""The examples at the end of every command's help, keyed by the command's path below
the root (``generate``, ``plans list``). Each is a short description and one command
line; tests/test_help.py checks every command has some and that each one parses."""

# The placeholder of a value whose declaration names none, by parameter name: what to
# type, not its Python type.
PLACEHOLDERS: dict[str, str] = {
    "out": "FILE",
    "fmt": "FORMAT",
    "url": "URL",
    "caldav_url": "URL",
    "morning_pain": "0-10",
    "red_flag": "SIGN",
    "start": "DATE",
    "username": "USER",
    "from_": "DATE",
    "until": "DATE",
    "on": "DATE",
    "to": "DATE",
    "date": "DATE",
    "session": "SESSION",
    "exercise": "EXERCISE",
    "exercise_id": "EXERCISE",
    "reps": "REPS",
    "hold": "SECONDS",
    "load": "LOAD",
    "band": "COLOUR",
    "pain": "0-10",
    "rpe": "0-10",
    "note": "TEXT",
    "by": "TEXT",
    "kind": "KIND",
    "equipment": "KIT",
    "file": "FILE",
    "slug": "TEMPLATE",
    "source": "TEMPLATE",
}

Examples = tuple[tuple[str, str], ...]

EXAMPLES: dict[str, Examples] = {}
