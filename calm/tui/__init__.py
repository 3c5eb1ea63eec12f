"""The Textual front end: a picker, the breathing session and its summary."""
