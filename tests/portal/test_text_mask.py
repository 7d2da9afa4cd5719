"""Free text the public reads loses phone numbers, e-mail addresses and identity numbers."""

import pytest

from portal.text import MASK, mask_personal_data


@pytest.mark.parametrize(
    "typed",
    [
        "Gọi tôi 0912345678 nhé",
        "Gọi tôi 0912 345 678 nhé",
        "Gọi tôi 091.234.5678 nhé",
        "Gọi tôi +84 912 345 678 nhé",
        "Gọi tôi 84912345678 nhé",
        "Bàn 0273 3872 123 nhé",
        "CCCD 082085000123 nhé",
        "CMND 312345678 nhé",
        "Thư an.nguyen+1022@example.com.vn nhé",
    ],
)
def test_numbers_and_addresses_that_identify_a_person_are_masked(typed):
    masked = mask_personal_data(typed)
    assert masked.startswith(typed.split()[0])
    assert MASK in masked
    assert not any(ch.isdigit() for ch in masked.split(MASK)[0][-3:] + masked.split(MASK)[-1])
    assert "@" not in masked


def test_other_numbers_stay():
    text = "Đèn số 12 đường 30/4 hỏng từ 15/3/2026, cao 7 m, cột 1022-45"
    assert mask_personal_data(text) == text
    assert mask_personal_data("") == ""
