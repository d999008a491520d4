"""JSON export: the profile as validated by `icpchat schema`.

The founder's text is kept exactly; control characters are written as ``\\u`` escapes (pydantic
escapes C0 itself, :func:`icpchat.text.terminal.json_controls` the C1 range and DEL), so the
file holds no escape sequence when it is printed to a terminal.
"""

from __future__ import annotations

from icpchat.domain.models import Profile
from icpchat.text.terminal import json_controls


def render_json(profile: Profile) -> str:
    return json_controls(profile.model_dump_json(indent=2, exclude_none=True)) + "\n"
