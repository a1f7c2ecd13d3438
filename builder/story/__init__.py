"""The story: how a plan came to be, from the git history of plans/.

Takes the workspace's git repository, and only reads it (builder.record writes to it).
Gives each plan's versions (who, role, when) and what changed between them, in plain English.
"""
