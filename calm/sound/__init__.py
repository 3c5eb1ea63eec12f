"""Sound: the synthesized cue set, ambient beds, and players that never break a session."""
