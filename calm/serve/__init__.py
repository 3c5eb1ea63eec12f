"""``calm serve``: the session in a browser, served by textual-serve, one calm per page."""
