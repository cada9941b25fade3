"""WAV helpers for recordings (standard library only)."""

from __future__ import annotations

import wave
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Recordings are merged and encoded a block at a time, so the agent's memory per recording is
# a few blocks whatever the call's length (a one-hour call is 115 MB of stereo PCM at 8 kHz;
# read whole, with its copies, it was ~0.5 GB in the agent).
BLOCK_FRAMES = 8000  # 1 s at 8 kHz


@contextmanager
def _mono16(path: Path) -> Iterator[wave.Wave_read]:
    with wave.open(str(path), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError(f"{path.name}: expected mono 16-bit PCM")
        yield w


def _block(w: wave.Wave_read, n: int) -> array[int]:
    """The next ``n`` samples, padded with silence past the end of the file."""
    frames = array("h")
    frames.frombytes(w.readframes(n))
    if len(frames) < n:
        frames.frombytes(bytes(2 * (n - len(frames))))
    return frames


def merge_stereo(left: Path, right: Path, out: Path) -> int:
    """Interleave two mono 16-bit WAVs into one stereo WAV (left = caller, right = callee).

    The shorter side is padded with silence. Returns the output size in bytes.
    """
    tmp = out.with_name(out.name + ".tmp")
    with _mono16(left) as lw, _mono16(right) as rw:
        rate = lw.getframerate()
        if rate != rw.getframerate():
            raise ValueError("sample rates differ")
        n = max(lw.getnframes(), rw.getnframes())
        with wave.open(str(tmp), "wb") as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.setnframes(n)  # the header is right from the start: no patch on close
            done = 0
            while done < n:
                k = min(BLOCK_FRAMES, n - done)
                both = array("h", bytes(4 * k))
                both[0::2] = _block(lw, k)
                both[1::2] = _block(rw, k)
                w.writeframes(both)
                done += k
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
