"""The package version, in a leaf module so every layer can name it without importing
``planner/__init__`` (the lazy public API). Hatch reads the version from this file."""

__version__ = "0.1.0"
