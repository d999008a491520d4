"""``python -m icpchat``."""

from icpchat.cli import main

if __name__ == "__main__":
    main()
