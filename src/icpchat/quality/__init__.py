"""Offline quality rules: vague answers during the interview, lint and completeness of a profile."""

from icpchat.quality.rules import RULES, check_answer, completeness, lint

__all__ = ["RULES", "check_answer", "completeness", "lint"]
