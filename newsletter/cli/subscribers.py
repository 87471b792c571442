"""`newsletter subscribers`: not built yet."""

COMMANDS: list = []
