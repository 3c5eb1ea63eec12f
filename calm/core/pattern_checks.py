"""The checks of a breathing pattern: a shorthand such as "4-7-8", or a list of phases.

Each phase is checked for its name, its seconds, its words and cue, and a
progression (seconds added or taken away each breath, up to a limit).
"""

from __future__ import annotations

import math
import re
from typing import Any

from calm.core.script import MAX_SECONDS, Phase, PhaseSpec, Progression
from calm.core.suggest import did_you_mean
from calm.core.value_checks import ValueChecks, whole_ms
from calm.core.value_text import describe_value, number_text

MAX_PHASES = 16
"""The most phases one breathing pattern can have."""
PHASE_KEYS = ("phase", "seconds", "text", "cue", "per_cycle", "limit")
"""The keys a phase of a pattern may have."""

# The order of phases a shorthand such as "4-7-8" stands for, by how many numbers it has.
SHORTHAND_PHASES = {
    2: (Phase.INHALE, Phase.EXHALE),
    3: (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE),
    4: (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE, Phase.HOLD_OUT),
}
# Hyphens, and the en and em dashes that word processors put in their place.
_SHORTHAND = re.compile(r"^\s*\d+(?:\.\d+)?(?:\s*[-\u2013\u2014]\s*\d+(?:\.\d+)?)+\s*$")
_DASHES = re.compile(r"\s*[-\u2013\u2014]\s*")


def is_pattern_shorthand(text: str) -> bool:
    """Whether ``text`` looks like a pattern shorthand such as ``"4-7-8"``."""
    return bool(_SHORTHAND.match(text))


class PatternChecks(ValueChecks):
    """The checks of a breathe step's pattern, on top of the checks of single values."""

    def _pattern(self, raw: object) -> tuple[PhaseSpec, ...] | None:
        with self._at("pattern"):
            if isinstance(raw, str):
                specs = self._shorthand(raw)
            elif isinstance(raw, list):
                specs = self._phase_list(raw)
            else:
                self._problem(
                    f'expected a shorthand such as "4-7-8" or a list of phases, '
                    f"got {describe_value(raw)}"
                )
                return None
            if specs is None:
                return None
            phases = {spec.phase for spec in specs}
            if Phase.INHALE not in phases or Phase.EXHALE not in phases:
                found = ", ".join(spec.phase.value for spec in specs) or "nothing"
                self._problem(f"expected at least one inhale and one exhale, got {found}")
                return None
            return specs

    def _shorthand(self, text: str) -> tuple[PhaseSpec, ...] | None:
        if not text.strip():
            self._problem('pattern is empty; expected a shorthand such as "4-7-8"')
            return None
        if not is_pattern_shorthand(text):
            self._problem(
                f'expected numbers joined by dashes, such as "4-7-8", got {describe_value(text)}'
            )
            return None
        # Whole numbers stay whole, so a problem quotes "0" as written, never "0.0".
        numbers = [
            int(part) if part.isdigit() else float(part) for part in _DASHES.split(text.strip())
        ]
        order = SHORTHAND_PHASES.get(len(numbers))
        if order is None:
            self._problem(f'expected 2 to 4 numbers, such as "4-7-8", got {len(numbers)}')
            return None
        specs: list[PhaseSpec] = []
        ok = True
        for phase, seconds in zip(order, numbers, strict=True):
            if seconds == 0 and phase.is_hold:
                continue  # "4-0-4-0" means no holds.
            with self._at(phase.value):
                ms = self._seconds({"seconds": seconds}, "seconds", required=True)
            if ms is None:
                ok = False
            else:
                specs.append(PhaseSpec(phase=phase, ms=ms))
        return tuple(specs) if ok else None

    def _phase_list(self, raw: list[Any]) -> tuple[PhaseSpec, ...] | None:
        if not raw:
            self._problem("pattern is empty; expected at least an inhale and an exhale")
            return None
        if len(raw) > MAX_PHASES:
            self._problem(f"a pattern can have at most {MAX_PHASES} phases, got {len(raw)}")
            return None
        specs: list[PhaseSpec] = []
        ok = True
        seen: dict[str, int] = {}
        for number, entry in enumerate(raw, start=1):
            label = self._phase_label(entry, number, seen)
            with self._at(label):
                spec = self._phase(entry)
            if spec is None:
                ok = False
            else:
                specs.append(spec)
        return tuple(specs) if ok else None

    @staticmethod
    def _phase_label(entry: object, number: int, seen: dict[str, int]) -> str:
        if isinstance(entry, dict):
            name = entry.get("phase")
            if isinstance(name, str) and name in Phase.__members__.values():
                seen[name] = seen.get(name, 0) + 1
                return name if seen[name] == 1 else f"{name} #{seen[name]}"
        return f"phase {number}"

    def _phase(self, entry: object) -> PhaseSpec | None:
        if not isinstance(entry, dict):
            self._problem(
                f'expected a table such as {{ phase = "inhale", seconds = 4 }}, '
                f"got {describe_value(entry)}"
            )
            return None
        self._unknown_keys(entry, PHASE_KEYS)
        phase = self._phase_name(entry)
        ms = self._seconds(entry, "seconds", required=True)
        text = self._text(entry, "text")
        cue = self._cue(entry)
        progression = self._progression(entry, ms)
        if phase is None or ms is None:
            return None
        return PhaseSpec(phase=phase, ms=ms, text=text or None, cue=cue, progression=progression)

    def _phase_name(self, entry: dict[str, Any]) -> Phase | None:
        names = [phase.value for phase in Phase]
        value = entry.get("phase")
        if value is None:
            self._problem(f"phase is missing; expected one of {', '.join(names)}")
            return None
        if isinstance(value, str) and value in names:
            return Phase(value)
        hint = did_you_mean(str(value), names) if isinstance(value, str) else ""
        message = f"phase must be one of {', '.join(names)}, got {describe_value(value)}"
        self._problem(message + (f"; {hint}" if hint else ""))
        return None

    def _progression(self, entry: dict[str, Any], ms: int | None) -> Progression | None:
        has_step, has_limit = "per_cycle" in entry, "limit" in entry
        if not has_step and not has_limit:
            return None
        if not has_step:
            self._problem("limit needs per_cycle, the seconds added each cycle")
            return None
        change = entry["per_cycle"]
        if isinstance(change, bool) or not isinstance(change, int | float):
            self._problem(f"per_cycle must be a number of seconds, got {describe_value(change)}")
            return None
        if isinstance(change, float) and math.isnan(change):
            self._problem(f"per_cycle must be a number of seconds, got {number_text(change)}")
            return None
        if change == 0:
            self._problem("per_cycle must be a non-zero number of seconds, got 0")
            return None
        if not abs(change) <= MAX_SECONDS:
            self._problem(
                f"per_cycle must be at most {MAX_SECONDS:g} seconds either way, "
                f"got {number_text(change)}"
            )
            return None
        if whole_ms(change) == 0:
            self._problem(
                f"per_cycle must be at least 0.001 seconds either way, got {number_text(change)}"
            )
            return None
        if not has_limit:
            self._problem("per_cycle needs a limit, the seconds the phase stops at")
            return None
        limit = self._seconds(entry, "limit", required=True)
        if limit is None or ms is None:
            return None
        if change > 0 and limit < ms:
            self._problem(
                f"limit must be at least the phase's seconds ({ms / 1000:g}) when per_cycle "
                f"is positive, got {limit / 1000:g}"
            )
            return None
        if change < 0 and limit > ms:
            self._problem(
                f"limit must be at most the phase's seconds ({ms / 1000:g}) when per_cycle "
                f"is negative, got {limit / 1000:g}"
            )
            return None
        return Progression(per_cycle_ms=whole_ms(change), limit_ms=limit)
