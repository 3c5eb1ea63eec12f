"""The spoken voice in a live session: each segment's line as that segment begins, said
once however many events begin it, and never while paused or muted."""

from __future__ import annotations

from calm.core.clock import ManualClock
from calm.core.session import SessionRunner
from calm.sound.cues import SessionSound
from calm.sound.players import Clip
from tests.support.sound import RecordingPlayer
from tests.support.tui import make_timeline

STEPS = """
[[steps]]
say = "Arrive."
seconds = 2

[[steps]]
breathe = "Breathe."
pattern = "1-0-1"
cycles = 2

[[steps]]
say = "Done."
seconds = 2
"""


def line(index: int) -> Clip:
    return Clip(name="voice", pcm=bytes([index, 0]) * 10, rate=8000)


def session(
    voice: dict[int, Clip],
) -> tuple[SessionRunner, ManualClock, RecordingPlayer, SessionSound]:
    player = RecordingPlayer()
    timeline = make_timeline(STEPS)
    clips = {name: Clip(name, b"\x01\x00" * 10, 8000) for name in ("step", "inhale", "exhale")}
    sound = SessionSound(player, clips, timeline=timeline, voice=voice)
    clock = ManualClock()
    runner = SessionRunner(timeline, clock=clock)
    runner.add_listener(sound)
    return runner, clock, player, sound


def test_each_line_is_said_once_as_its_segment_begins() -> None:
    """A breathing step's first breath begins with a step and a phase event: one line;
    the say steps' lines come with their bells, and a later breath's with its cue."""
    voice = {0: line(0), 1: line(1), 3: line(3), 5: line(5)}
    runner, clock, player, _ = session(voice)
    runner.start()
    for _ in range(12):
        clock.advance(0.5)
        runner.poll()
    # The breathing step's line comes with its step event, before that breath's cue.
    assert player.played == [
        *("step", "voice"),
        *("voice", "inhale", "exhale"),
        *("inhale", "voice", "exhale"),
        *("step", "voice"),
    ]


def test_nothing_is_said_while_paused_or_muted() -> None:
    """A skip while paused, or a segment begun while muted, says nothing; the next one
    begun with the sound back on is said."""
    runner, clock, player, sound = session({0: line(0), 1: line(1), 3: line(3), 5: line(5)})
    runner.start()
    runner.pause()
    runner.next_step()  # to the breathing step's first breath, while paused
    runner.resume()
    assert player.played.count("voice") == 1
    sound.toggle_mute()
    clock.advance(2.0)  # the second breath begins, muted
    runner.poll()
    assert player.played.count("voice") == 1
    sound.toggle_mute()
    runner.next_step()
    assert player.played[-2:] == ["step", "voice"]
