"""Start a console softphone (baresip) for an extension of the running local stack.

    .venv/bin/python -m infra.softphone 101          # or: make phone EXT=101
    .venv/bin/python -m infra.softphone 101 --tls    # over TLS with SRTP: make phone EXT=101 TLS=1

It reads var/run/local.json, registers the extension, and uses a 440 Hz tone as its
microphone (servers have no sound card); what it hears is written to WAV files in
var/phones/<ext>/heard/. Type `/dial 102` to call, `/hangup` to hang up, `/quit` to leave.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("extension")
    ap.add_argument("--tenant", type=int, default=0, help="index in local.json tenants")
    ap.add_argument("--root", default=os.environ.get("PROBOX_VAR", str(REPO / "var")))
    ap.add_argument("--tls", action="store_true", help="register and call over TLS, with SRTP required")
    a = ap.parse_args(argv)
    root = Path(a.root)
    info = json.loads((root / "run" / "local.json").read_text())
    tenant = info["tenants"][a.tenant]
    ext = next((e for e in tenant["extensions"] if e["number"] == a.extension), None)
    if ext is None:
        ap.error(f"extension {a.extension} is not in {tenant['domain']}")

    from infra.procs import free_port, free_port_block
    from infra.tones import make_tone

    home = root / "phones" / a.extension
    (home / "heard").mkdir(parents=True, exist_ok=True)
    tone = make_tone(home / "tone.wav", 440.0 if int(a.extension) % 2 else 1000.0, seconds=300)
    rtp = free_port_block(20)
    (home / "config").write_text(
        f"""poll_method epoll
sip_listen 127.0.0.1:{free_port(span=2)}
net_interface 127.0.0.1
audio_source aufile,{tone}
audio_player aufile,/dev/null
audio_alert aufile,/dev/null
rtp_ports {rtp}-{rtp + 19}
module_path /usr/lib/baresip/modules
module stdio.so
module g711.so
module aufile.so
module sndfile.so
{"module srtp.so" if a.tls else ""}
module_app account.so
module_app menu.so
snd_path {home / "heard"}
"""
    )
    if a.tls:  # baresip 1.0 does not check the server's certificate: compare the fingerprint yourself
        print(f"TLS to {info['sip_host']}:{info['sip_tls_port']}, certificate SHA-256 {info['tls_fingerprint_sha256']}")
        tp, proxy, enc = (
            ";transport=tls",
            f"{info['sip_host']}:{info['sip_tls_port']};transport=tls",
            ";mediaenc=srtp-mand",
        )
    else:
        tp, proxy, enc = "", f"{info['sip_host']}:{info['sip_port']}", ""
    (home / "accounts").write_text(
        f"<sip:{a.extension}@{tenant['domain']}{tp}>;auth_pass={ext['password']};"
        f'outbound="sip:{proxy}";regint=600;audio_codecs=PCMU,PCMA{enc}\n'
    )
    (home / "accounts").chmod(0o600)
    print(f"baresip for {a.extension}@{tenant['domain']}: /dial <number>, /hangup, /quit")
    os.execvp("baresip", ["baresip", "-f", str(home)])  # noqa: S606 - becomes the phone


if __name__ == "__main__":
    raise SystemExit(main())
