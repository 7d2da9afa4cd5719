"""Validators for Vietnamese identity numbers and phone numbers (DOMAIN.md §5)."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Province codes of the 12-digit citizen identity number (Circular 07/2016/TT-BCA).
PROVINCE_CODES = {
    "001",
    "002",
    "004",
    "006",
    "008",
    "010",
    "011",
    "012",
    "014",
    "015",
    "017",
    "019",
    "020",
    "022",
    "024",
    "025",
    "026",
    "027",
    "030",
    "031",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "040",
    "042",
    "044",
    "045",
    "046",
    "048",
    "049",
    "051",
    "052",
    "054",
    "056",
    "058",
    "060",
    "062",
    "064",
    "066",
    "067",
    "068",
    "070",
    "072",
    "074",
    "075",
    "077",
    "079",
    "080",
    "082",
    "083",
    "084",
    "086",
    "087",
    "089",
    "091",
    "092",
    "093",
    "094",
    "095",
    "096",
}
_MOBILE_PREFIXES = ("03", "05", "07", "08", "09")


def cccd_century(number: str) -> tuple[int, str]:
    """(century start year, sex) encoded by the 4th digit: 0/1 → 1900s, 2/3 → 2000s, …"""
    digit = int(number[3])
    return 1900 + 100 * (digit // 2), ("male" if digit % 2 == 0 else "female")


def validate_cccd(value: str, birth_date: date | None = None) -> None:
    value = (value or "").strip()
    if not re.fullmatch(r"\d{12}", value):
        raise ValidationError(_("The citizen ID number must have exactly 12 digits."), code="cccd_format")
    if value[:3] not in PROVINCE_CODES:
        raise ValidationError(
            _("The citizen ID number does not start with a valid province code."), code="cccd_province"
        )
    century, _sex = cccd_century(value)
    if century > 2100:
        raise ValidationError(_("The citizen ID number has an invalid century digit."), code="cccd_century")
    year = century + int(value[4:6])
    if year > date.today().year:
        raise ValidationError(
            _("The citizen ID number encodes a birth year in the future."), code="cccd_year"
        )
    if birth_date is not None and birth_date.year != year:
        raise ValidationError(
            _("The citizen ID number does not match the date of birth (year %(year)s)."),
            code="cccd_birth",
            params={"year": year},
        )


def normalize_mobile(value: str) -> str:
    """'+84 912 345 678' → '0912345678'."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def validate_mobile(value: str) -> None:
    number = normalize_mobile(value)
    if not re.fullmatch(r"0\d{9}", number) or not number.startswith(_MOBILE_PREFIXES):
        raise ValidationError(
            _("Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 or 09 (or +84)."),
            code="mobile",
        )
