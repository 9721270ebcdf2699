"""The command line: the only Typer code. ``planner.cli.app`` is the root command."""
