"""The story: how a plan came to be, from the git history of plans/.

Takes the workspace's git repository; records new edits and reviews into it.
Gives each plan's versions (who, role, when) and what changed between them, in plain English.
"""
