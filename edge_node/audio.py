"""WAV helpers for recordings (standard library only)."""

from __future__ import annotations

import wave
from array import array
from pathlib import Path


def _read_mono16(path: Path) -> tuple[array[int], int]:
    with wave.open(str(path), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError(f"{path.name}: expected mono 16-bit PCM")
        frames = array("h")
        frames.frombytes(w.readframes(w.getnframes()))
        return frames, w.getframerate()


def merge_stereo(left: Path, right: Path, out: Path) -> int:
    """Interleave two mono 16-bit WAVs into one stereo WAV (left = caller, right = callee).

    The shorter side is padded with silence. Returns the output size in bytes.
    """
    lf, lrate = _read_mono16(left)
    rf, rrate = _read_mono16(right)
    if lrate != rrate:
        raise ValueError("sample rates differ")
    n = max(len(lf), len(rf))
    lf.extend([0] * (n - len(lf)))
    rf.extend([0] * (n - len(rf)))
    both = array("h", bytes(4 * n))
    both[0::2] = lf
    both[1::2] = rf
    tmp = out.with_name(out.name + ".tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(lrate)
        w.writeframes(both.tobytes())
    tmp.replace(out)
    return out.stat().st_size
