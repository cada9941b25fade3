"""The product's music on hold: a short, gentle melody synthesised here (no recording, no
licence to track), written as the 8 kHz mono 16-bit WAV the media worker loops to a party
whose call is on hold (``media_worker.Bridge.update_music``).

Made at install time (``python -m edge_node.music /var/lib/probox/music-on-hold.wav``) or by
the worker at its start when the file is missing (``ensure``), like the signing key. A file
of your own (8 kHz mono 16-bit WAV) at that path is used as it is.

The melody uses a few sine notes of a C major pentatonic scale (``NOTES``, no A: 440 Hz is
the test phones' tone) over a soft bass, each note with a smooth attack and decay, so the
loop has no clicks and tests can tell the music from a phone's tone by its frequencies.
"""

from __future__ import annotations

import argparse
import math
import os
import wave
from array import array
from pathlib import Path

RATE = 8000
NOTE_S = 0.5  # one beat
# Pitches (Hz) by name: C major pentatonic without A, and two bass notes.
PITCH = {
    "G2": 98.0,
    "C3": 130.81,
    "C4": 261.63,
    "D4": 293.66,
    "E4": 329.63,
    "G4": 392.0,
    "C5": 523.25,
    "D5": 587.33,
    "E5": 659.26,
    "G5": 783.99,
}
NOTES: tuple[float, ...] = tuple(sorted(PITCH.values()))
# An original tune, one beat per name ("-" holds the previous note one more beat); one bass
# note per bar of four beats. 32 beats: a 16 s loop.
MELODY = ("E5 D5 C5 G4  C5 D5 E5 -  G5 E5 D5 C5  D5 - - -  E4 G4 C5 D5  E5 D5 C5 -  D5 C5 G4 E4  C4 - - -").split()
BASS = "C3 G2 C3 G2 C3 G2 G2 C3".split()
MELODY_GAIN = 9000
BASS_GAIN = 2500


def _envelope(i: int, n: int) -> float:
    """Soft attack (40 ms), then a slow decay to zero at the note's end: no clicks."""
    attack = int(0.04 * RATE)
    if i < attack:
        return i / attack
    rest = (n - i) / (n - attack)
    return rest * (0.6 + 0.4 * rest)


def _notes(names: list[str], beats_per_name: int) -> list[tuple[float, int]]:
    """(pitch, beats) per sounding note; "-" lengthens the note before it."""
    out: list[tuple[float, int]] = []
    for name in names:
        if name == "-" and out:
            out[-1] = (out[-1][0], out[-1][1] + beats_per_name)
        else:
            out.append((PITCH[name], beats_per_name))
    return out


def _render(notes: list[tuple[float, int]], gain: int, total: int) -> list[float]:
    out = [0.0] * total
    pos = 0
    for freq, beats in notes:
        n = int(beats * NOTE_S * RATE)
        step = 2 * math.pi * freq / RATE
        for i in range(n):
            out[pos + i] = gain * _envelope(i, n) * math.sin(step * i)
        pos += n
    return out


def synthesize() -> array[int]:
    """The loop's samples (16-bit)."""
    total = int(len(MELODY) * NOTE_S * RATE)
    melody = _render(_notes(MELODY, 1), MELODY_GAIN, total)
    bass = _render(_notes(BASS, 4), BASS_GAIN, total)
    return array("h", (int(m + b) for m, b in zip(melody, bass, strict=True)))


def write(path: Path) -> Path:
    """Write the product's music to ``path`` (atomically: a worker may be reading it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(synthesize().tobytes())
    tmp.replace(path)
    return path


def ensure(path: Path) -> Path:
    """``path``, written with the product's music if it does not exist yet."""
    return path if path.exists() else write(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="write ProBox's music on hold (8 kHz mono 16-bit WAV)")
    ap.add_argument("path", type=Path)
    a = ap.parse_args(argv)
    write(a.path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
