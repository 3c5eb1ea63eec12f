"""The plain-text view: a session as lines of text, for pipes and simple terminals."""
