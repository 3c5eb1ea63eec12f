"""The ``calm`` command's entry point, and ``python -m calm``."""

import sys


def run() -> None:
    """Run calm; Ctrl+C while it is still starting up leaves quietly."""
    try:
        from calm.cli import main

        main()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    run()
