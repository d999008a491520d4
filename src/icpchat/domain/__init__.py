"""The profile data model (pydantic) and its JSON Schema. Imports nothing heavy."""

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
    profile_json_schema,
)

__all__ = [
    "ICP",
    "SCHEMA_VERSION",
    "Answer",
    "Business",
    "Citation",
    "Finding",
    "Meta",
    "NegativePersona",
    "Persona",
    "Profile",
    "Provenance",
    "Quality",
    "SizeRange",
    "profile_json_schema",
]
