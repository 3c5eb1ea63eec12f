"""Writing a soundtrack to a file, read back with soundfile: each shipped cue starts on its
boundary, the file lasts the session and its end chime, nothing clips, the tags are kept
and cleaned, and a render that fails or is stopped leaves no file behind."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile

from calm import locations
from calm.core.length_plan import LengthOptions
from calm.core.loader import load_script
from calm.core.timeline import Timeline, compile_timeline
from calm.sound.cues import load_bed, load_clips
from calm.sound.pcm import RATE
from calm.sound.players import Clip
from calm.sound.render_file import (
    FORMATS,
    TAG_LIMIT,
    RenderError,
    Tags,
    format_for,
    tag_text,
    writable_formats,
    write_file,
    write_wav_stream,
)
from calm.sound.soundtrack import Soundtrack, cue_times, session_ms
from tests.support.tui import make_timeline

TAGS = Tags(title="Box breathing", album="box", comment="1 min 7 s, box, rendered by calm")
ONE_MS = RATE // 1000 + 1
"""A millisecond in samples, rounded up: the most a cue's onset may be off by."""


def box(cycles: int = 3) -> Timeline:
    """The shipped box breathing script at ``cycles`` breaths: a say step, the breaths
    four seconds apart, a say step, so no cue still sounds when the next begins."""
    script = load_script(locations.builtin_scripts_dir() / "box.toml")
    return compile_timeline(script, LengthOptions(cycles=cycles))


def box_track(*, volume: int = 100, bed: str | None = None, cycles: int = 3) -> Soundtrack:
    """Box breathing's soundtrack with the shipped cues, at ``volume``."""
    timeline = box(cycles)
    clips, notices = load_clips(timeline, volume)
    assert notices == []
    return Soundtrack(timeline, clips, bed=load_bed(bed, volume) if bed else None, rate=RATE)


def rendered(track: Soundtrack, path: Path) -> np.ndarray:
    """Write ``track`` to ``path`` by its extension, and read its samples back."""
    kind = format_for(path)
    assert kind is not None
    write_file(track, path, kind, TAGS)
    samples, rate = soundfile.read(path, dtype="int16")
    assert rate == RATE
    return np.asarray(samples)


def first_sound(samples: np.ndarray, start: int, floor: int = 0) -> int:
    """The first sample from ``start`` on (or the file's start) louder than ``floor``."""
    start = max(start, 0)
    return start + int(np.flatnonzero(np.abs(samples[start:].astype(np.int32)) > floor)[0])


def expected_onsets(timeline: Timeline) -> list[tuple[int, int]]:
    """For each cue, the sample it starts at and the first sample of it that sounds:
    the shipped cues open with a few milliseconds of silence."""
    clips, _ = load_clips(timeline, 100)
    onsets = []
    for ms, name in cue_times(timeline):
        lead = int(np.flatnonzero(np.frombuffer(clips[name].pcm, dtype="<i2"))[0])
        onsets.append((ms * RATE // 1000, ms * RATE // 1000 + lead))
    return onsets


# -- formats ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("box.wav", "WAV"),
        ("BOX.WAV", "WAV"),
        ("box.Flac", "FLAC"),
        ("a.b/box.mp3", "MP3"),
        ("box.ogg", "Ogg Vorbis"),
        ("box.OGA", "Ogg Vorbis"),
        ("box.aiff", None),
        ("box", None),
        (".wav", None),
    ],
)
def test_the_extension_chooses_the_format(name: str, kind: str | None) -> None:
    """The format comes from the extension, in any case; anything else is None."""
    found = format_for(name)
    assert (found.name if found else None) == kind


def test_this_install_writes_every_format() -> None:
    """soundfile's wheels bundle a libsndfile that writes all four, MP3 included."""
    assert writable_formats() == list(FORMATS)


# -- correctness, read back -----------------------------------------------------


@pytest.mark.parametrize("suffix", [".wav", ".flac"])
def test_each_cue_starts_on_its_boundary(suffix: str, tmp_path: Path) -> None:
    """Read back, each shipped cue's first sound is where the timeline puts it, to the
    sample (well within a millisecond), and there is silence before it."""
    timeline = box()
    samples = rendered(box_track(), tmp_path / f"box{suffix}")
    for boundary, sounding in expected_onsets(timeline):
        found = first_sound(samples, boundary - 10 * ONE_MS)
        assert abs(found - sounding) < ONE_MS, (boundary, found, sounding)
        assert found == sounding


def test_an_mp3s_cues_start_on_their_boundaries(tmp_path: Path) -> None:
    """An MP3 is lossy, so its silence is not exactly silent: each cue is found where
    the MP3 best matches the soundtrack itself around it, and that is within a
    millisecond of where the soundtrack has it (libsndfile takes the encoder's delay off)."""
    track = box_track()
    samples = rendered(track, tmp_path / "box.mp3").astype(np.float64)
    exact = track.samples(0, track.length).astype(np.float64)
    search = 10 * ONE_MS
    for _, sounding in expected_onsets(box()):
        start = max(sounding - ONE_MS, search)
        reference = exact[start : start + RATE // 10]
        matches = [
            _likeness(samples[start + lag : start + lag + len(reference)], reference)
            for lag in range(-search, search + 1)
        ]
        assert abs(int(np.argmax(matches)) - search) < ONE_MS, sounding


def _likeness(one: np.ndarray, other: np.ndarray) -> float:
    """How alike two stretches of sound are, from -1 to 1, whatever their loudness."""
    return float(np.dot(one, other) / (np.linalg.norm(one) * np.linalg.norm(other) + 1e-9))


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".mp3", ".ogg"])
def test_the_file_lasts_the_session_and_its_end_chime(suffix: str, tmp_path: Path) -> None:
    """The file is exactly as long as the session, with the end chime rung out in full
    after it: not a sample more, not a sample less."""
    timeline = box()
    track = box_track()
    path = tmp_path / f"box{suffix}"
    write_file(track, path, format_for(path) or FORMATS[0], TAGS)
    chime = load_clips(timeline, 100)[0]["end"]
    expected = session_ms(timeline) * RATE // 1000 + len(chime.pcm) // 2
    assert soundfile.info(str(path)).frames == expected == track.length


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".mp3", ".ogg"])
def test_a_loud_bed_at_full_volume_never_clips(suffix: str, tmp_path: Path) -> None:
    """At full volume over the loudest bed, no sample reaches full scale."""
    samples = rendered(box_track(volume=100, bed="brown", cycles=2), tmp_path / f"b{suffix}")
    assert np.abs(samples.astype(np.int32)).max() < 32767


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".mp3", ".ogg"])
def test_the_tags_are_read_back(suffix: str, tmp_path: Path) -> None:
    """Title, script name and length are kept in every format."""
    path = tmp_path / f"box{suffix}"
    write_file(box_track(cycles=1), path, format_for(path) or FORMATS[0], TAGS)
    with soundfile.SoundFile(path) as back:
        assert back.title == TAGS.title
        assert back.album == TAGS.album
        assert back.comment == TAGS.comment
        assert back.artist == "calm"
        assert back.channels == 1
    if suffix in (".wav", ".flac"):
        assert soundfile.info(str(path)).subtype == "PCM_16"


@pytest.mark.slow  # real work: seconds of encoding
def test_a_ten_minute_ogg_is_written_whole(tmp_path: Path) -> None:
    """Ten minutes of Ogg Vorbis, which libsndfile crashes on in one call, is written a
    block at a time and read back whole."""
    script = load_script(locations.builtin_scripts_dir() / "box.toml")
    timeline = compile_timeline(script, LengthOptions(minutes=10))
    clips, _ = load_clips(timeline, 80)
    track = Soundtrack(timeline, clips, bed=load_bed("ocean", 80), rate=RATE)
    path = tmp_path / "box.ogg"
    write_file(track, path, FORMATS[3], TAGS)
    assert soundfile.info(str(path)).frames == track.length > 10 * 60 * RATE


# -- outside data in the tags -------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "A\x1b[31mred\x07 title\x00",
        "Line one\nline two\r\n\tthree",
        "Lone \udcff surrogate",
        "Emoji 🌊 and \u202ebidi\u202c and RTL שלום",
        "x" * 100_000,
    ],
    ids=["escapes", "lines", "surrogate", "unicode", "long"],
)
def test_a_strange_title_is_cleaned_and_written(title: str, tmp_path: Path) -> None:
    """A title from a script file is one safe line of at most ``TAG_LIMIT`` characters
    in every format, and never stops the file being written."""
    cleaned = tag_text(title)
    assert len(cleaned) <= TAG_LIMIT and cleaned.isprintable()
    cleaned.encode("utf-8")
    plain = tag_text(title, ascii_only=True)
    assert len(plain) <= TAG_LIMIT and plain.isascii() and plain.isprintable()
    for kind in FORMATS:
        path = tmp_path / f"t{kind.suffixes[0]}"
        write_file(short_track(), path, kind, Tags(title=title, album=title, comment=title))
        with soundfile.SoundFile(path) as back:
            assert back.title == (plain if kind.ascii_tags else cleaned)


def test_an_mp3s_tags_are_plain_ascii(tmp_path: Path) -> None:
    """MP3 tags keep only ASCII, as LAME marks them Latin-1: accents are dropped and
    typographic punctuation made plain, so no player shows them garbled."""
    path = tmp_path / "t.mp3"
    title = "Café — “soft” breathing… 🌊"
    write_file(short_track(), path, FORMATS[2], Tags(title=title, album="a", comment="c"))
    assert soundfile.SoundFile(path).title == 'Cafe - "soft" breathing... ?'


SHORT = """
[[steps]]
say = "Settle in."
seconds = 0.5
"""
CLIPS = {
    "step": Clip(name="step", pcm=np.full(400, 8000, dtype="<i2").tobytes(), rate=RATE),
    "end": Clip(name="end", pcm=np.full(400, -8000, dtype="<i2").tobytes(), rate=RATE),
}


def short_track() -> Soundtrack:
    """Half a second of soundtrack with two flat tones."""
    return Soundtrack(make_timeline(SHORT), CLIPS, rate=RATE)


# -- never a half file, never a file replaced ----------------------------------


def test_a_stopped_render_leaves_nothing(tmp_path: Path) -> None:
    """Ctrl+C halfway through leaves neither the file nor its temporary."""
    script = load_script(locations.builtin_scripts_dir() / "box.toml")
    track = Soundtrack(compile_timeline(script), {}, rate=RATE)

    def interrupt(done: int, total: int) -> None:
        if done > total // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_file(track, tmp_path / "box.wav", FORMATS[0], TAGS, progress=interrupt)
    assert list(tmp_path.iterdir()) == []


def test_a_file_already_there_is_kept_unless_replacing(tmp_path: Path) -> None:
    """A file of that name is never replaced unless asked, and nothing else is left."""
    path = tmp_path / "box.flac"
    path.write_bytes(b"mine")
    with pytest.raises(RenderError, match="already exists; add --force"):
        write_file(short_track(), path, FORMATS[1], TAGS)
    assert path.read_bytes() == b"mine"
    assert list(tmp_path.iterdir()) == [path]
    size = write_file(short_track(), path, FORMATS[1], TAGS, replace=True)
    assert size == path.stat().st_size and soundfile.info(str(path)).format == "FLAC"
    assert list(tmp_path.iterdir()) == [path]


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    """A folder that is not there is one line naming it."""
    with pytest.raises(RenderError, match=f"there is no folder {tmp_path / 'gone'}"):
        write_file(short_track(), tmp_path / "gone" / "box.wav", FORMATS[0], TAGS)


def test_the_file_has_the_users_usual_permissions(tmp_path: Path) -> None:
    """The file is made as any other the user writes, not private as a temporary is."""
    path = tmp_path / "box.wav"
    write_file(short_track(), path, FORMATS[0], TAGS)
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


class Pipe(io.BytesIO):
    """A stream that cannot seek or tell, as a pipe cannot."""

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        raise OSError("not seekable")

    def seek(self, *_: object) -> int:
        raise OSError("not seekable")


def test_wav_down_a_pipe_is_whole() -> None:
    """WAV written to a stream that cannot seek has the right length in its header,
    and the same samples as the soundtrack."""
    track = short_track()
    pipe = Pipe()
    size = write_wav_stream(track, pipe)
    data = pipe.getvalue()
    assert size == len(data)
    samples, rate = soundfile.read(io.BytesIO(data), dtype="int16")
    assert rate == RATE
    assert np.array_equal(samples, track.samples(0, track.length))
