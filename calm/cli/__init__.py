"""The ``calm`` command line: one module per command group, joined in ``root``.

Each command is thin: the work lives in the modules it calls. Heavy packages
(textual, pydub, simpleaudio) are imported inside the commands that use them,
so ``calm --help`` and ``calm list`` stay quick.
"""

from typing import TYPE_CHECKING, Any

from calm.cli.entry import main

if TYPE_CHECKING:
    from calm.cli.root import app

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    # The typer app is built when first asked for: `calm start NAME` starts without it.
    if name == "app":
        from calm.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
