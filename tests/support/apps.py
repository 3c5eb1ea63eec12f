"""The calm app as the tests build it: a practice service made from plain keywords."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from calm.core.clock import Clock
from calm.core.timeline import Timeline
from calm.core.trace import TraceWriter
from calm.practice.options import SessionOptions
from calm.practice.recording import SessionRecorder
from calm.practice.service import Practice
from calm.practice.told import ToldOnce
from calm.present.catalogue import Row
from calm.tui.app import CalmApp


def practice_for(
    *,
    tip: Callable[[], str] | None = None,
    trace: TraceWriter | None = None,
    recorder: SessionRecorder | None = None,
    told: ToldOnce | None = None,
    **options: object,
) -> Practice:
    """A practice service with ``options`` (``SessionOptions`` fields: volume,
    check_in, skip_caution...) and the trace, history, tip and told mark given."""
    chosen = SessionOptions(**options)  # type: ignore[arg-type]
    return Practice(chosen, trace=trace, recorder=recorder, tip=tip, told=told)


def calm_app(
    *,
    timeline: Timeline | None = None,
    rows: list[Row] | None = None,
    clock: Clock | None = None,
    notices: Iterable[str] = (),
    **practice: object,
) -> CalmApp:
    """The app on a practice service made by ``practice_for(**practice)``."""
    service = practice_for(**practice)  # type: ignore[arg-type]
    return CalmApp(service, timeline=timeline, rows=rows, clock=clock, notices=notices)
