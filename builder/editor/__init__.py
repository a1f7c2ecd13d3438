"""The form editor (`wellplan edit --web`): a plan's parts as NHS.UK question pages, made from the schema.

Takes: one plan in a workspace, who is editing (name, role), and the answers typed into its pages.
Gives: each save as one recorded change (through record.record), showing and changing only that reader's view.
"""
