"""`newsletter serve`: not built yet."""

COMMANDS: list = []
