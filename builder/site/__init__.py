"""The website: one small MkDocs + Material site per person, and the team's home.

Takes what one audience may see of each plan (builder.view) and its story.
Gives a docs tree of Markdown and assets, built by MkDocs into static pages; and a live preview.
"""
