"""Allow ``python -m newsletter``."""

from newsletter.cli import main

if __name__ == "__main__":  # not when a send's helper process (spawn) imports this module
    main()
