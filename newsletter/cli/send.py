"""`newsletter send`: not built yet."""

COMMANDS: list = []
