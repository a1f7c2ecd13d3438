"""Recording: each change to a plan written into the git history as one attributed commit.

Takes a plan's file (edited in any editor, the form editor, or a review's answers) and who made it.
Gives commits with author, role and trailers, refusing what would undo recorded work; merges by item.
"""
