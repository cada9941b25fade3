"""The firewall's decisions (pbx_core.firewall, pbx_core.countries) and the country file job
(edge_node.country_db); the KEMI side is in test_kemi_firewall.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from edge_node import country_db
from pbx_core import countries, firewall
from pbx_core.firewall import Networks, Policy

pytestmark = pytest.mark.unit


def test_bans_grow_on_repeat_and_stop_at_a_day() -> None:
    assert [firewall.ban_seconds(n) for n in range(1, 7)] == [60, 600, 3600, 86400, 86400, 86400]
    assert firewall.ban_seconds(0) == 60


def test_a_ban_round_trips_and_its_evidence_cannot_break_the_value() -> None:
    ban = firewall.Ban("auth_failures", 2, 1_800_000_000, "5 wrong | passwords\r\n")
    back = firewall.parse_ban(ban.encode())
    assert back is not None and (back.reason, back.strike, back.until) == ("auth_failures", 2, 1_800_000_000)
    assert "|" not in back.evidence and "\n" not in back.evidence
    assert firewall.parse_ban("garbage") is None and firewall.parse_ban(None) is None


@pytest.mark.parametrize(
    ("agent", "tool"),
    [
        ("friendly-scanner", "friendly-scanner"),
        ("SIPVicious 0.3.8", "sipvicious"),
        ("sipcli/v1.8", "sipcli"),
        ("sundayddr", "sundayddr"),
        ("Yealink SIP-T46U 66.86.0.15", ""),
        ("Zoiper rv2.10", ""),
        ("Linphone/5.2 (belle-sip)", ""),
        ("Grandstream GXP1625 1.0.11", ""),
        ("MicroSIP/3.21.3", ""),
        ("", ""),
    ],
)
def test_scanners_are_known_by_their_user_agent_and_phones_are_not(agent: str, tool: str) -> None:
    assert firewall.scanner(agent) == tool


def test_strangers_are_banned_at_the_threshold() -> None:
    p = Policy(stranger_points=5)
    assert firewall.judge(p, firewall.REASON_AUTH, False, 4, 0) == firewall.NOTHING
    assert firewall.judge(p, firewall.REASON_AUTH, False, 5, 0).action == "ban"
    assert firewall.judge(p, firewall.REASON_PROBING, False, 5, 0) == firewall.Verdict("ban", "probing")


def test_a_learned_network_holds_the_failing_account_and_bans_only_when_many_fail() -> None:
    p = Policy(account_failures=5, learned_points=30)
    assert firewall.judge(p, firewall.REASON_AUTH, True, 4, 4) == firewall.NOTHING
    assert firewall.judge(p, firewall.REASON_AUTH, True, 5, 5) == firewall.Verdict("hold", "auth_failures")
    assert firewall.judge(p, firewall.REASON_PROBING, True, 20, 0) == firewall.NOTHING
    assert firewall.judge(p, firewall.REASON_AUTH, True, 30, 1).action == "ban"


def test_networks_are_learned_as_a_24_or_a_64() -> None:
    assert firewall.network_of("203.0.113.77") == "203.0.113.0/24"
    assert firewall.network_of("2001:db8:1:2:3::9") == "2001:db8:1:2::/64"
    assert firewall.network_of("not-an-ip") == "not-an-ip"


def test_network_sets_merge_ranges_and_find_addresses() -> None:
    nets = Networks.of(["10.0.0.0/24", "10.0.1.0/24", "192.0.2.7", "2001:db8::/32", "bogus"])
    assert len(nets) == 3  # the two /24s merged
    assert "10.0.1.255" in nets and "10.0.2.0" not in nets and "192.0.2.7" in nets and "192.0.2.8" not in nets
    assert "2001:db8::1" in nets and "2001:db9::1" not in nets and "x" not in nets and 5 not in nets
    assert "1.2.3.4" not in Networks()


def test_a_plain_block_list_as_apiban_and_crowdsec_export_it() -> None:
    text = "# APIBAN\n203.0.113.5\n198.51.100.0/24 # a range\n\nnot-an-address\n2001:db8::1\n"
    assert firewall.parse_blocklist(text) == ["203.0.113.5/32", "198.51.100.0/24", "2001:db8::1/128"]


def test_every_reason_has_words_for_an_admin() -> None:
    for reason in firewall.REASONS:
        assert "{" not in firewall.explain(reason, "x") and "x" in firewall.explain(reason, "x")


# --- countries ---------------------------------------------------------------------------

TOR = "# header\n20185088,20447231,VN\n134744064,134744319,US\n2130706432,2130706439,VN\n2130706441,2130706441,US\n"
DBIP = "1.52.0.0,1.55.255.255,VN\n8.8.8.0,8.8.8.255,US\n2405:4800::,2405:4800:ffff:ffff:ffff:ffff:ffff:ffff,VN\n"
APNIC = (
    "2|apnic|20261205|1|19830613|20261204|+1000\n"
    "apnic|VN|ipv4|14.160.0.0|2097152|20100915|allocated\n"
    "apnic|JP|ipv4|1.0.16.0|4096|20110412|allocated\n"
    "apnic|VN|ipv6|2402:800::|32|20110414|allocated\n"
    "apnic|VN|ipv4|103.1.1.0|256|20110414|reserved\n"
)


@pytest.mark.parametrize("text", [TOR, DBIP, APNIC])
def test_the_three_public_formats_are_read(text: str) -> None:
    spans = list(countries.parse(text))
    assert spans and {s.country for s in spans} <= {"VN", "US", "JP"}
    data = countries.CountryFile.load(countries.compile_file(spans, source="t", generated="now"))
    home = {"1.52.1.1" if text is DBIP else "14.160.0.1" if text is APNIC else "1.52.0.1"}
    assert all(data.where(ip) == countries.WHERE_HOME for ip in home)
    assert data.where("8.8.8.8") == countries.WHERE_ABROAD  # a public address in no VN range
    assert data.where("103.1.1.1") == countries.WHERE_ABROAD  # reserved, not allocated: not VN


def test_a_test_declares_loopback_addresses_vietnamese_or_abroad() -> None:
    data = countries.CountryFile.load(countries.compile_file(countries.parse(TOR)))
    assert data.where("127.0.0.1") == countries.WHERE_HOME
    assert data.where("127.0.0.9") == countries.WHERE_ABROAD
    assert data.where("127.0.0.200") == countries.WHERE_LOCAL and data.where("10.1.2.3") == countries.WHERE_LOCAL
    assert data.source == ""


def test_the_country_file_keeps_vietnam_only(tmp_path: Path) -> None:
    (tmp_path / "geoip").write_text(TOR)
    (tmp_path / "dbip.csv").write_text(DBIP)
    text, n = country_db.build([str(tmp_path / "geoip"), str(tmp_path / "dbip.csv")])
    assert n == 4 and "8.8.8.0" not in text and "1.52.0.0,1.55.255.255,VN" in text
    assert "127.0.0.9,127.0.0.9,US" in text  # loopback declared abroad by a test file stays
    assert f"# source: {tmp_path / 'geoip'} + {tmp_path / 'dbip.csv'}" in text


def test_a_broken_source_never_replaces_a_good_file(tmp_path: Path) -> None:
    good = tmp_path / "countries.txt"
    good.write_text("1.52.0.0,1.55.255.255,VN\n")
    (tmp_path / "empty").write_text("<html>rate limited</html>\n")
    assert country_db.main(["--out", str(good), "--source", str(tmp_path / "empty")]) == 1
    assert country_db.main(["--out", str(good), "--source", str(tmp_path / "missing")]) == 1
    assert good.read_text() == "1.52.0.0,1.55.255.255,VN\n"
    (tmp_path / "geoip").write_text(TOR)
    assert country_db.main(["--out", str(good), "--source", str(tmp_path / "geoip"), "--min-ranges", "2"]) == 0
    assert "20185088" not in good.read_text() and "1.52.0.0,1.55.255.255,VN" in good.read_text()


@pytest.mark.skipif(not Path("/usr/share/tor/geoip").exists(), reason="tor-geoipdb (infra/setup_debian.sh)")
def test_the_debian_country_database_knows_vietnam() -> None:
    text, n = country_db.build(list(country_db.DEFAULT_SOURCES))
    assert n >= country_db.MIN_RANGES
    data = countries.CountryFile.load(text)
    assert data.where("113.161.1.1") == countries.WHERE_HOME  # VNPT
    assert data.where("8.8.8.8") == countries.WHERE_ABROAD
