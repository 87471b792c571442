"""newsletter: publish a static blog's Markdown posts as email newsletters."""

__version__ = "0.1.0"
