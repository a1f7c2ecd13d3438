"""The commands: the ``wellplan`` command line, one module per sub-command.

Takes the words typed after ``wellplan``; each sub-command is a short loop around one public function.
Gives output for people (or JSON) and an exit code; errors become one plain line here and nowhere else.
"""
