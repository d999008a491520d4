"""JSON export: the profile as validated by `icpchat schema`."""

from __future__ import annotations

from icpchat.domain.models import Profile


def render_json(profile: Profile) -> str:
    return profile.model_dump_json(indent=2, exclude_none=True) + "\n"
