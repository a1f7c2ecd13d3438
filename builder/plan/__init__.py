"""The plan: one person's wellbeing plan as a file, read and checked.

Takes a YAML file (or its text) and the holistic-plan JSON Schema.
Gives the plan as data with every value's line and column, and findings (file, line, column, how to fix).
"""
