"""The call-center queue's spoken prompts (issue 16 item 1): a waiting caller hears its place
in line, the expected wait and how to ask for a callback, in Vietnamese or English.

The product ships no recordings: the prompts are synthesised with espeak-ng (a Debian
package, ``infra/setup_debian.sh``; Vietnamese and English voices) and converted by sox to
the 8 kHz mono 16-bit WAV the worker plays, once, into a folder (at install time with
``python -m edge_node.prompts /var/lib/probox/prompts``, or by the worker in the background at
its start when files are missing). Each prompt is one whole sentence per number ("you are
number 3 in line"): no sentence stitched from fragments, so each language keeps its own word
order. Positions past ``MAX_POSITION`` and waits past ``MAX_MINUTES`` use a "more than"
sentence. A tenant may record its own welcome, callback offer, thank-you, "closed" and message
prompts (``control_plane.queues.prompts``; fetched by the agent, ``edge_node.tenant_prompts``):
the worker plays those instead. A queue whose overflow is ``message`` plays ``leave_message``
and the beep, then records the caller.

``playlist`` is pure: which files one announcement plays.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger("probox.worker.prompts")

MAX_POSITION = 20
MAX_MINUTES = 30
LANGUAGES = ("vi", "en")
VOICES = {"vi": "vi", "en": "en-gb"}


def _position(lang: str, n: int) -> str:
    if lang == "vi":
        return (
            f"Quý khách đang ở vị trí số {n}."
            if n <= MAX_POSITION
            else f"Có hơn {MAX_POSITION} người gọi trước quý khách."
        )
    return (
        f"You are number {n} in line."
        if n <= MAX_POSITION
        else f"There are more than {MAX_POSITION} callers ahead of you."
    )


def _wait(lang: str, minutes: int) -> str:
    if lang == "vi":
        return (
            f"Thời gian chờ dự kiến khoảng {minutes} phút."
            if minutes <= MAX_MINUTES
            else f"Thời gian chờ dự kiến hơn {MAX_MINUTES} phút."
        )
    if minutes > MAX_MINUTES:
        return f"The expected wait is more than {MAX_MINUTES} minutes."
    return f"The expected wait is about {minutes} minute{'s' if minutes != 1 else ''}."


TEXTS: dict[str, dict[str, str]] = {
    "vi": {
        "callback": "Để được gọi lại mà vẫn giữ vị trí, xin bấm phím 1.",
        "callback_ok": "Cảm ơn quý khách. Chúng tôi sẽ gọi lại khi đến lượt quý khách.",
        "closed": "Xin lỗi, hiện không có nhân viên nào trả lời được. Xin vui lòng gọi lại sau.",
        "agent_ready": "Quý vị đã sẵn sàng nhận cuộc gọi.",
        "agent_paused": "Quý vị đang tạm nghỉ.",
        "agent_logged_out": "Quý vị đã đăng xuất khỏi hàng đợi.",
        "leave_message": "Hiện không có nhân viên nào trả lời được. Xin quý khách để lại lời nhắn sau tiếng bíp, "
        "rồi gác máy hoặc bấm phím thăng.",
    },
    "en": {
        "callback": "To be called back and keep your place in line, press 1.",
        "callback_ok": "Thank you. We will call you back when it is your turn.",
        "closed": "Sorry, no one can take your call right now. Please call again later.",
        "agent_ready": "You are ready for calls.",
        "agent_paused": "You are paused.",
        "agent_logged_out": "You are logged out of the queues.",
        "leave_message": "No one can take your call right now. Please leave a message after the tone, "
        "then hang up or press the hash key.",
    },
}


def texts(lang: str) -> dict[str, str]:
    """Every prompt of a language by file stem."""
    out = dict(TEXTS[lang])
    out.update({f"position-{n}": _position(lang, n) for n in range(1, MAX_POSITION + 2)})
    out.update({f"wait-{m}": _wait(lang, m) for m in range(1, MAX_MINUTES + 2)})
    return out


def playlist(folder: Path, lang: str, position: int, expected_wait_s: int, callback: bool) -> list[Path]:
    """The files of one announcement: the place in line, the expected wait (when known),
    and the callback offer (when the queue offers it). Unknown languages speak Vietnamese."""
    lang = lang if lang in LANGUAGES else "vi"
    d = folder / lang
    out = [d / f"position-{min(max(position, 1), MAX_POSITION + 1)}.wav"]
    if expected_wait_s > 0:
        minutes = max(1, round(expected_wait_s / 60))
        out.append(d / f"wait-{min(minutes, MAX_MINUTES + 1)}.wav")
    if callback:
        out.append(d / "callback.wav")
    return out


BEEP = "beep"  # the tone after which a message is recorded (one file for every language)


def beep(folder: Path) -> Path:
    return folder / f"{BEEP}.wav"


def prompt(folder: Path, lang: str, stem: str) -> Path:
    return folder / (lang if lang in LANGUAGES else "vi") / f"{stem}.wav"


def _synthesize(text: str, voice: str, out: Path) -> None:
    """espeak-ng -> sox (8 kHz mono 16-bit, a little quieter than full scale), atomically."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp.wav")
    with tempfile.NamedTemporaryFile(suffix=".wav") as raw:
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", raw.name, text], check=True, capture_output=True)
        subprocess.run(
            ["sox", "-q", raw.name, "-r", "8000", "-c", "1", "-b", "16", str(tmp), "gain", "-n", "-3"],
            check=True,
            capture_output=True,
        )
    tmp.replace(out)


def ensure(folder: Path) -> int:
    """Write every missing prompt; how many were written. Needs espeak-ng and sox."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        raise OSError("espeak-ng and sox are needed to make the queue prompts (infra/setup_debian.sh)")
    n = 0
    folder.mkdir(parents=True, exist_ok=True)
    if not beep(folder).exists():  # 0.5 s at 1,400 Hz (no DTMF or test tone uses it)
        tmp = folder / f".{BEEP}.{os.getpid()}.tmp.wav"
        cmd = ["sox", "-q", "-n", "-r", "8000", "-c", "1", "-b", "16", str(tmp), "synth", "0.5", "sine", "1400"]
        subprocess.run([*cmd, "gain", "-n", "-6"], check=True, capture_output=True)
        tmp.replace(beep(folder))
        n += 1
    for lang in LANGUAGES:
        d = folder / lang
        d.mkdir(parents=True, exist_ok=True)
        for stem, text in texts(lang).items():
            path = d / f"{stem}.wav"
            if not path.exists():
                _synthesize(text, VOICES[lang], path)
                n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="write ProBox's queue prompts (8 kHz mono WAV, vi and en)")
    ap.add_argument("folder", type=Path)
    a = ap.parse_args(argv)
    print(f"{ensure(a.folder)} prompts written to {a.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
