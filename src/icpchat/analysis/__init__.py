"""Grounding in data: read CRM exports, propose ICP answers from the best customers, score leads.

Pure Python (csv + statistics); no pandas.
"""
