"""The ``calm`` command's entry point, and ``python -m calm``."""

import gc
import sys


def run() -> None:
    """Run calm; Ctrl+C while it is still starting up leaves quietly.

    Python's garbage collector is held off from the start: a session's screen lets
    it go once its first screen is up, every other command as it begins (see
    ``calm.tui.launch.hold_collection``).
    """
    gc.disable()
    try:
        from calm.cli import main

        main()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    run()
