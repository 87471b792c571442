"""`newsletter status`: not built yet."""

COMMANDS: list = []
