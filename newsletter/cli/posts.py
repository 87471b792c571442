"""`newsletter posts`: not built yet."""

COMMANDS: list = []
