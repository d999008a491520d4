"""icpchat: interview a founder into an Ideal Customer Profile and buyer personas."""

__version__ = "0.1.0"
