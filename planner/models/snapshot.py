"""What a saved revision keeps of the template it was built from."""

import hashlib

from pydantic import Field

from planner.models.common import Frozen
from planner.models.exercise import ExerciseLibrary
from planner.models.program import ProgramTemplate


class TemplateSnapshot(Frozen):
    """The program and the exercise library a plan was built from, as validated.

    The whole library is kept, in its order, not only the exercises the program names: a
    stand-in (for pain, for missing kit, or after repeated regressions in adapt) is searched
    among every exercise with the same main muscle, ties in library order. Rebuilding from
    this snapshot gives the plan it gave when it was saved, whatever happens to the files.
    """

    template: str = Field(min_length=1, description="The name the plan goes by (file stem).")
    program: ProgramTemplate
    library: ExerciseLibrary

    def digest(self) -> str:
        """A content address: equal snapshots share one copy in the store."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()
