"""Pydantic models: templates coming in, plans going out.

Importing this package builds the validators, which costs a few milliseconds; the CLI
imports it only inside the commands that need it.
"""

from planner.models.exercise import Exercise, ExerciseLibrary
from planner.models.plan import Plan, PlanOptions, Prescription, Session
from planner.models.program import ProgramTemplate

__all__ = [
    "Exercise",
    "ExerciseLibrary",
    "Plan",
    "PlanOptions",
    "Prescription",
    "ProgramTemplate",
    "Session",
]
