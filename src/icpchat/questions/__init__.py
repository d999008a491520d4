"""Question sets: loading and validating prompts/*.yaml."""

from icpchat.questions.loader import load_catalog
from icpchat.questions.models import Catalog, Condition, Question, QuestionSet

__all__ = ["Catalog", "Condition", "Question", "QuestionSet", "load_catalog"]
