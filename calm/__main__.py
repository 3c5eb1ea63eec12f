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
        if sys.argv[1:2] == ["nudge"]:
            # At every prompt: read without typer when it can be (calm.care.nudge_command).
            from calm.care.nudge_command import quick_nudge

            code = quick_nudge(sys.argv[2:])
            if code is not None:
                sys.exit(code)
        from calm.cli import main

        main()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    run()
