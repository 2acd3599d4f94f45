"""Checking an applicant's identity numbers as they are typed at the window, so a slip is caught
while the applicant is still there: the ID card number (GB 11643, with its check digit), the
unified social credit code of a company (GB 32100, with its check character), and a phone."""

from __future__ import annotations

import re

from hall_server.errors import HallError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_check_digit(first17: str) -> str:
    """The 18th character of an ID card number (GB 11643) from its first 17 digits."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def valid_id_card(number: str) -> bool:
    n = number.upper()
    return bool(re.fullmatch(r"\d{17}[\dX]", n)) and id_check_digit(n[:17]) == n[17]


def valid_credit_code(code: str) -> bool:
    c = code.upper()
    if len(c) != 18 or any(ch not in _USCC_CHARS for ch in c):
        return False
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(c, _USCC_WEIGHTS, strict=False))
    return _USCC_CHARS[(31 - total % 31) % 31] == c[17]


def check_applicant(kind: str, id_number: str, phone: str) -> tuple[str, str]:
    """The ID number and phone as stored (upper case, no spaces); HallError 422 saying which is wrong."""
    number = re.sub(r"\s", "", id_number).upper()
    if number and kind == "person" and not valid_id_card(number):
        raise HallError("case_id_number_invalid", 422)
    if number and kind == "company" and not valid_credit_code(number):
        raise HallError("case_credit_code_invalid", 422)
    tel = re.sub(r"[\s]", "", phone)
    if tel and not _PHONE.match(tel):
        raise HallError("case_phone_invalid", 422)
    return number, tel
