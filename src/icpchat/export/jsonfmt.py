"""JSON export: the profile as validated by `icpchat schema`.

The founder's text is kept exactly; control characters are written as ``\\u`` escapes (pydantic
escapes C0 itself, :func:`icpchat.text.terminal.json_controls` the C1 range and DEL), so the
file holds no escape sequence when it is printed to a terminal.
"""

from __future__ import annotations

import json

from pydantic_core import PydanticSerializationError

from icpchat.domain.models import Profile
from icpchat.text.terminal import json_controls


def render_json(profile: Profile) -> str:
    try:
        text = profile.model_dump_json(indent=2, exclude_none=True)
    except PydanticSerializationError:
        # A lone surrogate (a model's JSON may hold half an emoji, "\ud83d") is not UTF-8, so
        # pydantic refuses it; json.dumps keeps it, and json_controls writes it as \ud83d.
        text = json.dumps(profile.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False)
    return json_controls(text) + "\n"
