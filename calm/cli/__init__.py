"""The ``calm`` command line: one module per command group, joined in ``root``.

Each command is thin: the work lives in the modules it calls. Heavy packages
(textual, pydub, simpleaudio) are imported inside the commands that use them,
so ``calm --help`` and ``calm list`` stay quick.
"""

from calm.cli.entry import main
from calm.cli.root import app

__all__ = ["app", "main"]
