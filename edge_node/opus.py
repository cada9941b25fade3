"""Ogg Opus encoding of call recordings that keeps the two parties apart.

Plain stereo Opus at ~16 kbit/s (what `opusenc` makes) codes the channels jointly and
leaks each party into the other channel. A recording needs caller left and callee right,
so each channel is its own uncoupled mono Opus stream (~8 kbit/s of SILK each):
libopusenc (Debian's libopusenc0, pulled in by opus-tools) does that with mapping family
255. Players built on opusfile accept only families 0 and 1, and RFC 7845 §5.1.1.2 allows
family 1 with two uncoupled streams for stereo, whose header layout is the same as 255's:
so the header is relabelled family 1 and its Ogg page checksum recomputed.
"""

from __future__ import annotations

import ctypes
import struct
import wave
from pathlib import Path

from edge_node.audio import BLOCK_FRAMES

OPUS_SET_BITRATE_REQUEST = 4002
OPUS_SET_APPLICATION_REQUEST = 4000
OPUS_APPLICATION_VOIP = 2048
# Complexity stays libopus' default (10). Encoding is the edge agent's main CPU cost per
# recorded call (~81 ms for a 5 s two-party call on the 2-core CI machine; ~25 ms of it is
# libopusenc's 8 -> 48 kHz resampling). Complexity 5 took ~49 ms at the same size, but the
# recordings of a picked-up or transferred call then lost their tone (the pickup tests' picker
# at 700 Hz dominated 42 % of windows instead of >= 80 %, 2026-12-06).


def _lib() -> ctypes.CDLL:
    lib = ctypes.CDLL("libopusenc.so.0")
    lib.ope_comments_create.restype = ctypes.c_void_p
    lib.ope_comments_destroy.argtypes = [ctypes.c_void_p]
    lib.ope_encoder_create_file.restype = ctypes.c_void_p
    lib.ope_encoder_create_file.argtypes = [
        ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int32, ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_int),
    ]  # fmt: skip
    lib.ope_encoder_write.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
    lib.ope_encoder_drain.argtypes = [ctypes.c_void_p]
    lib.ope_encoder_destroy.argtypes = [ctypes.c_void_p]
    return lib


def _ogg_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else (crc << 1)
            crc &= 0xFFFFFFFF
    return crc


def _relabel_family_1(path: Path) -> None:
    """Rewrite the OpusHead (first Ogg page) from mapping family 255 to 1."""
    with path.open("r+b") as fh:
        head = fh.read(27)
        if head[:4] != b"OggS":
            raise ValueError("not an Ogg file")
        nseg = head[26]
        lacing = fh.read(nseg)
        body_len = sum(lacing)
        body = bytearray(fh.read(body_len))
        if body[:8] != b"OpusHead" or body[18] != 255:
            raise ValueError("unexpected OpusHead")
        body[18] = 1
        page = bytearray(head + lacing + body)
        page[22:26] = b"\0\0\0\0"
        page[22:26] = struct.pack("<I", _ogg_crc(bytes(page)))
        fh.seek(0)
        fh.write(page)


def encode_stereo(wav: Path, out: Path, bitrate_bps: int = 16000) -> int:
    """Encode a 16-bit stereo WAV into Ogg Opus with two uncoupled channels, a block at a time
    (``audio.BLOCK_FRAMES``: memory does not grow with the call's length). Returns the output
    size in bytes. Raises OSError/ValueError on failure (the caller keeps the WAV)."""
    tmp = out.with_name(out.name + ".tmp")
    with wave.open(str(wav), "rb") as w:
        if w.getnchannels() != 2 or w.getsampwidth() != 2:
            raise ValueError("expected 16-bit stereo WAV")
        lib = _lib()
        err = ctypes.c_int(0)
        comments = lib.ope_comments_create()
        enc = lib.ope_encoder_create_file(str(tmp).encode(), comments, w.getframerate(), 2, 255, ctypes.byref(err))
        lib.ope_comments_destroy(comments)
        if not enc or err.value:
            raise OSError(f"libopusenc: cannot create encoder (error {err.value})")
        try:
            # ope_encoder_ctl is variadic: pass C ints explicitly.
            lib.ope_encoder_ctl(
                ctypes.c_void_p(enc), ctypes.c_int(OPUS_SET_APPLICATION_REQUEST), ctypes.c_int(OPUS_APPLICATION_VOIP)
            )
            if lib.ope_encoder_ctl(
                ctypes.c_void_p(enc), ctypes.c_int(OPUS_SET_BITRATE_REQUEST), ctypes.c_int(bitrate_bps)
            ):
                raise OSError("libopusenc: bitrate rejected")
            while pcm := w.readframes(BLOCK_FRAMES):
                # libopusenc only reads the samples: the bytes are passed without a copy
                if lib.ope_encoder_write(ctypes.c_void_p(enc), pcm, len(pcm) // 4):
                    raise OSError("libopusenc: write failed")
            if lib.ope_encoder_drain(ctypes.c_void_p(enc)):
                raise OSError("libopusenc: drain failed")
        finally:
            lib.ope_encoder_destroy(ctypes.c_void_p(enc))
    _relabel_family_1(tmp)
    tmp.replace(out)
    return out.stat().st_size
