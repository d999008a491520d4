"""Interview depth: the one definition of the three depths that every layer uses.

Kept apart from the pydantic models so that the CLI can offer the choices without importing
pydantic, which keeps `icpchat --help` fast.
"""

from __future__ import annotations

from typing import Literal, get_args

Depth = Literal["quick", "standard", "deep"]
"""quick asks the required questions (about 15 minutes), standard adds the ones that most
change a profile, deep asks everything."""

#: The depths from shallowest to deepest: a question of depth d is asked at d and deeper.
DEPTHS: tuple[Depth, ...] = get_args(Depth)


def asked_at(question_depth: Depth, interview_depth: str) -> bool:
    """Whether a question of ``question_depth`` is asked in an interview of ``interview_depth``."""
    return DEPTHS.index(question_depth) <= DEPTHS.index(interview_depth)
