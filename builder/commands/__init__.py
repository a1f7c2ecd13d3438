"""One module per ``wellplan`` sub-command."""
