"""The profile data model (pydantic) and its JSON Schema, and the interview depths.

The models live in :mod:`icpchat.domain.models`. This package imports them lazily, on first
use of a name, so that light modules (the CLI's choices need :mod:`icpchat.domain.depth`)
do not pay for pydantic.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from icpchat.domain.depth import DEPTHS, Depth

if TYPE_CHECKING:
    from icpchat.domain.models import (
        ICP,
        SCHEMA_VERSION,
        Answer,
        Business,
        Citation,
        Finding,
        Meta,
        NegativePersona,
        Persona,
        Profile,
        Provenance,
        Quality,
        SizeRange,
        entity_path,
        profile_json_schema,
    )

__all__ = [
    "DEPTHS",
    "ICP",
    "SCHEMA_VERSION",
    "Answer",
    "Business",
    "Citation",
    "Depth",
    "Finding",
    "Meta",
    "NegativePersona",
    "Persona",
    "Profile",
    "Provenance",
    "Quality",
    "SizeRange",
    "entity_path",
    "profile_json_schema",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module("icpchat.domain.models"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
