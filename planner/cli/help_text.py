"""The examples at the end of every command's help, keyed by the command's path below
the root (``generate``, ``plans list``). Each is a short description and one command
line; tests/test_help.py checks every command has some and that each one parses."""

Examples = tuple[tuple[str, str], ...]

EXAMPLES: dict[str, Examples] = {}
