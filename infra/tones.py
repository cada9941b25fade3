"""Test tones: a sine WAV used as a phone's microphone (servers have no sound card)."""

from __future__ import annotations

import math
import wave
from array import array
from pathlib import Path


def make_tone(path: Path, freq: float, seconds: float = 60.0, rate: int = 8000) -> Path:
    """A sine WAV (mono, 16-bit) used as a phone's microphone."""
    if not path.exists():
        n = int(seconds * rate)
        samples = array("h", (int(12000 * math.sin(2 * math.pi * freq * i / rate)) for i in range(n)))
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(samples.tobytes())
    return path
