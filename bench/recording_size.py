"""How many hours of calls fit in a tenant's 5 GB: encode two minutes of synthetic
two-party speech (espeak-ng, one voice per channel, with pauses like a conversation)
through the same path as the edge agent (stereo merge, uncoupled Ogg Opus) and report
the bit rate, hours per GB and hours per 5 GB, against the stereo WAV as the reference.

    .venv/bin/python -m bench.recording_size
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from edge_node import audio
from edge_node.opus import encode_stereo

TEXT_A = (
    "Xin chào, tôi muốn hỏi về đơn hàng số một hai ba bốn năm. Tôi đã đặt hàng từ tuần trước "
    "nhưng vẫn chưa nhận được. Anh có thể kiểm tra giúp tôi được không? "
)
TEXT_B = (
    "Dạ vâng, em chào chị. Chị vui lòng chờ một chút để em kiểm tra trên hệ thống. "
    "Đơn hàng của chị đang được giao, dự kiến ngày mai sẽ đến nơi ạ. "
)


def _speech(path: Path, text: str, voice: str, seconds: float, offset: float) -> None:
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text * 12], check=True)
    # 8 kHz mono 16-bit, turn-taking pauses: start after `offset`, cut to `seconds`.
    subprocess.run(
        ["sox", str(raw), "-r", "8000", "-c", "1", "-b", "16", str(path), "pad", str(offset), "0",
         "trim", "0", str(seconds)],
        check=True,
    )  # fmt: skip


def main() -> int:
    seconds = 120.0
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        _speech(tmp / "a.wav", TEXT_A, "vi", seconds, 0.0)
        _speech(tmp / "b.wav", TEXT_B, "vi+f3", seconds, 3.0)
        wav_bytes = audio.merge_stereo(tmp / "a.wav", tmp / "b.wav", tmp / "s.wav")
        opus_bytes = encode_stereo(tmp / "s.wav", tmp / "s.opus")
    kbps = opus_bytes * 8 / seconds / 1000
    hours_per_gb = 1e9 / (opus_bytes / seconds) / 3600
    print(
        f"{seconds:.0f} s of two-party speech: WAV {wav_bytes} B, Opus {opus_bytes} B "
        f"(ratio {wav_bytes / opus_bytes:.1f}x)"
    )
    print(
        f"Opus {kbps:.1f} kbit/s -> {hours_per_gb:.0f} h per GB, {5 * hours_per_gb:.0f} h per 5 GB "
        f"(WAV: {5e9 / (wav_bytes / seconds) / 3600:.0f} h per 5 GB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
