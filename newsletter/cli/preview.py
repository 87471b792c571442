"""`newsletter preview`: not built yet."""

COMMANDS: list = []
