"""The self-assessment's results: scores and stage, the pilot-first plan, and the radar chart.

Pure functions over the loaded knowledge and a user's answers; no storage, no I/O.
"""
