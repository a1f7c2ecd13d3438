"""The demo: a workspace with the example plans and a year of recorded history.

Takes the example plans and the scripted edits in story/.
Gives a git workspace recorded through the story stage, with its site and PDFs built.
"""
