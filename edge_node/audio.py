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


def repair_wav(path: Path) -> int:
    """Fix the RIFF/data sizes of a 16-bit PCM WAV whose writer died before closing it
    (pjmedia writes the sizes only on close). Returns the number of audio bytes kept."""
    import struct

    with path.open("r+b") as fh:
        head = fh.read(44)
        if len(head) < 44 or head[:4] != b"RIFF" or head[8:12] != b"WAVE" or head[36:40] != b"data":
            raise ValueError(f"{path.name}: not a canonical PCM WAV")
        size = path.stat().st_size
        data = (size - 44) & ~1
        fh.truncate(44 + data)
        fh.seek(4)
        fh.write(struct.pack("<I", 36 + data))
        fh.seek(40)
        fh.write(struct.pack("<I", data))
    return data
