"""The printed copy: a review copy of one plan, as a tagged PDF.

Takes what one audience may see of a plan (builder.view) and its story.
Gives a pandoc document, turned into Typst by pandoc and into a PDF by Typst.
"""
