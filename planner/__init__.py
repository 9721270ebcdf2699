"""planner: progressive, pain-aware workout plans exported as calendars."""

__version__ = "0.1.0"
