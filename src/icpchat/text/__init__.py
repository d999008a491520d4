"""Text helpers shared by every layer: escaping for Markdown, reading numbers.

Pure functions over strings; nothing here imports another part of icpchat.
"""
