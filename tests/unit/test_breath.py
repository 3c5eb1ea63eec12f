"""The breath curve: its levels, and that working them out grows only with the session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import SupportsIndex, overload

from calm.core.breath import BreathCurve
from calm.core.loader import parse_script_bytes
from calm.core.timeline import Segment, Timeline, compile_timeline


def _timeline(cycles: int, pattern: list[str]) -> Timeline:
    phases = ", ".join(f'{{ phase = "{phase}", seconds = 0.5 }}' for phase in pattern)
    source = (
        'title = "T"\nsummary = "S"\ncategory = "reset"\n'
        f'[[steps]]\nbreathe = "B"\ncycles = {cycles}\npattern = [{phases}]\n'
    )
    script = parse_script_bytes(source.encode(), name="t", source="t.toml")
    return compile_timeline(script)


class CountingSegments(list[Segment]):
    """A list of segments that counts every segment handed out, however it is asked for."""

    handed_out = 0

    @overload
    def __getitem__(self, index: SupportsIndex) -> Segment: ...
    @overload
    def __getitem__(self, index: slice) -> list[Segment]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> Segment | list[Segment]:
        if isinstance(index, slice):
            part = super().__getitem__(index)
            self.handed_out += len(part)
            return part
        self.handed_out += 1
        return super().__getitem__(index)

    def __iter__(self) -> Iterator[Segment]:
        for segment in super().__iter__():
            self.handed_out += 1
            yield segment


@dataclass
class _Segments:
    segments: CountingSegments


def test_two_inhales_share_the_rise_in_proportion() -> None:
    """Consecutive inhales carry the level from 0 to 1 between them, and the exhales back."""
    curve = BreathCurve(_timeline(1, ["inhale", "inhale", "exhale", "exhale"]))
    assert curve.bounds(0) == (0.0, 0.5)
    assert curve.bounds(1) == (0.5, 1.0)
    assert curve.bounds(2) == (1.0, 0.5)
    assert curve.bounds(3) == (0.5, 0.0)


def test_the_curve_reads_each_segment_a_bounded_number_of_times() -> None:
    """Long runs of one phase over many breaths cost work in proportion to the session,
    not to its square (a 10,000-breath, 16-phase script once took 16 s to draw)."""
    timeline = _timeline(500, ["inhale"] * 8 + ["exhale"] * 8)
    counted = CountingSegments(timeline.segments)
    curve = BreathCurve(_Segments(counted))  # type: ignore[arg-type]
    assert len(counted) == 8000
    assert counted.handed_out <= 3 * len(counted)
    assert curve.bounds(len(counted) - 1) == (0.125, 0.0)
