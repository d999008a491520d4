"""Grounding in data: read CRM exports, propose ICP answers from the best customers, score leads.

Exports are read through DuckDB (imported only by the commands that need it), the scorer
also compiles to portable SQL, and the Python scorer is the reference both are held to.
"""
