"""One renderer per format; the chat, the runner and `icpchat export` all call these."""

from icpchat.export.registry import EXPORTERS, FORMATS, render, slugify

__all__ = ["EXPORTERS", "FORMATS", "render", "slugify"]
