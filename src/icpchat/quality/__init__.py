"""The offline critic: vague answers during the interview, lint and completeness of a profile.

``check_answer`` (critic.py) judges one answer with per-field detectors and per-language word
lists (lexicon/*.yaml); ``lint`` adds the rules over a whole profile; ``completeness`` scores
it. Rule ids (findings.py) are stable.
"""

from icpchat.quality.critic import Flag, critique, preload
from icpchat.quality.rules import RULES, check_answer, completeness, lint

__all__ = ["RULES", "Flag", "check_answer", "completeness", "critique", "lint", "preload"]
