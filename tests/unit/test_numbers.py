"""pbx_core.numbers: Vietnamese number normalisation and classification."""

from __future__ import annotations

import pytest

from pbx_core import numbers
from pbx_core.numbers import PhoneNumber

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "dialled",
    ["0912345678", "+84912345678", "84912345678", "0084912345678", "091 234 5678", "091-234-5678", "(091) 234.5678"],
)
def test_one_mobile_number_in_every_notation(dialled: str) -> None:
    assert numbers.parse(dialled) == PhoneNumber("mobile", "0912345678", "+84912345678")


@pytest.mark.parametrize(
    "mobile", ["0321234567", "0391234567", "0521234567", "0591234567", "0701234567", "0761234567", "0791234567",
               "0811234567", "0891234567", "0901234567", "0991234567"],
)  # fmt: skip
def test_mobile_ranges_since_the_2018_renumbering(mobile: str) -> None:
    n = numbers.parse(mobile)
    assert n is not None and n.kind == numbers.MOBILE and n.national == mobile


@pytest.mark.parametrize("dialled", ["0121234567", "01212345678", "0612345678", "091234567", "09123456789"])
def test_old_01x_mobiles_other_leading_digits_and_wrong_lengths_are_invalid(dialled: str) -> None:
    assert numbers.parse(dialled) is None


@pytest.mark.parametrize(
    ("dialled", "national"),
    [
        ("02438253456", "02438253456"),  # Ha Noi 024
        ("028 7300 1234", "02873001234"),  # Ho Chi Minh City 028
        ("+842363123456", "02363123456"),  # Da Nang 0236
        ("842363123456", "02363123456"),
    ],
)
def test_fixed_lines_with_their_area_code(dialled: str, national: str) -> None:
    n = numbers.parse(dialled)
    assert n is not None and (n.kind, n.national, n.e164) == ("fixed", national, "+84" + national[1:])


@pytest.mark.parametrize("dialled", ["0243825345", "024382534567", "0212345678"])
def test_fixed_lines_of_the_wrong_length_are_invalid(dialled: str) -> None:
    assert numbers.parse(dialled) is None


@pytest.mark.parametrize(
    ("dialled", "kind"),
    [("18001234", "tollfree"), ("1800 123 456", "tollfree"), ("19001234", "premium"), ("1900123456", "premium")],
)
def test_1800_and_1900_service_numbers(dialled: str, kind: str) -> None:
    n = numbers.parse(dialled)
    assert n is not None and n.kind == kind and n.national == numbers.digits_of(dialled) and n.e164 == ""


@pytest.mark.parametrize("dialled", ["1800123", "180012345", "19001234567", "1700123456"])
def test_service_numbers_of_the_wrong_length_are_invalid(dialled: str) -> None:
    assert numbers.parse(dialled) is None


@pytest.mark.parametrize("dialled", ["112", "113", "114", "115"])
def test_emergency_numbers(dialled: str) -> None:
    assert numbers.parse(dialled) == PhoneNumber("emergency", dialled)


@pytest.mark.parametrize(
    ("dialled", "national", "e164"),
    [
        ("+14155550100", "0014155550100", "+14155550100"),
        ("0033123456789", "0033123456789", "+33123456789"),
        ("+86 10 1234 5678", "00861012345678", "+861012345678"),
    ],
)
def test_international_numbers(dialled: str, national: str, e164: str) -> None:
    assert numbers.parse(dialled) == PhoneNumber("international", national, e164)
    assert not numbers.parse(dialled).is_vietnamese  # type: ignore[union-attr]


@pytest.mark.parametrize("dialled", ["", "abc", "101", "+", "+0123", "00", "12#", "0912345678;x", "٠٩١٢٣٤٥٦٧٨"])
def test_not_numbers(dialled: str) -> None:
    assert numbers.parse(dialled) is None


def test_carrier_format_is_national() -> None:
    assert numbers.carrier_format(numbers.parse("+84912345678")) == "0912345678"  # type: ignore[arg-type]
    assert numbers.carrier_format(numbers.parse("113")) == "113"  # type: ignore[arg-type]
    assert numbers.carrier_format(numbers.parse("+14155550100")) == "0014155550100"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("presented", "national"),
    [("912345678", "0912345678"), ("2873001234", "02873001234"), ("+84912345678", "0912345678")],
)
def test_caller_ids_as_carriers_present_them(presented: str, national: str) -> None:
    n = numbers.parse_caller(presented)
    assert n is not None and n.national == national


@pytest.mark.parametrize("presented", ["", "anonymous", "Restricted", "12"])
def test_unusable_caller_ids(presented: str) -> None:
    assert numbers.parse_caller(presented) is None


@pytest.mark.parametrize(
    ("pattern", "number", "hit"),
    [
        ("0912345678", "+84912345678", True),  # exact, any notation
        ("+84912345678", "0912345678", True),
        ("0912345678", "0912345679", False),
        ("1900*", "19001234", True),  # prefix
        ("1900*", "18001234", False),
        ("098*", "0987654321", True),
        ("+8498*", "0987654321", True),  # prefix written internationally
        ("00*", "+14155550100", True),  # every international number
        ("+1*", "+14155550100", True),
        ("*", "0912345678", True),
        ("not a number", "0912345678", False),
        ("", "0912345678", False),
    ],
)
def test_block_patterns(pattern: str, number: str, hit: bool) -> None:
    assert numbers.matches(pattern, numbers.parse(number)) is hit


def test_anonymous_callers_match_only_anonymous_or_everything() -> None:
    assert numbers.matches("anonymous", None)
    assert numbers.matches("*", None)
    assert not numbers.matches("0912345678", None)
    assert not numbers.matches("anonymous", numbers.parse("0912345678"))
