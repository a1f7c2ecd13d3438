"""The NHS number's Modulus 11 check digit, edge by edge.

The check: multiply the first nine digits by 10, 9, … 2 and add them up; take the
remainder on dividing by 11 and subtract it from 11. That is the check digit, except
that 11 means 0, and 10 means the number is not valid at all.
"""

from __future__ import annotations

import pytest

from builder.plan.rules import nhs_number_is_valid


def test_the_published_example_is_valid() -> None:
    # 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299; 299 mod 11 = 2; 11 − 2 = 9.
    assert nhs_number_is_valid("943 476 5919")


def test_a_remainder_of_zero_means_the_check_digit_is_zero() -> None:
    # 4×10 + 0×9 + 1×8 + 0×7 + 2×6 + 3×5 + 2×4 + 1×3 + 1×2 = 88 = 8 × 11; 11 − 0 = 11, written 0.
    assert nhs_number_is_valid("401 023 2110")
    assert not nhs_number_is_valid("401 023 2111")


@pytest.mark.parametrize("last", range(10))
def test_a_computed_check_of_ten_is_never_valid(last: int) -> None:
    # 4×10 + 0×9 + 1×8 + 0×7 + 2×6 + 3×5 + 2×4 + 1×3 + 7×2 = 100; 100 mod 11 = 1; 11 − 1 = 10.
    assert not nhs_number_is_valid(f"401 023 217{last}")


@pytest.mark.parametrize("last", [d for d in range(10) if d != 9])
def test_any_other_last_digit_is_wrong(last: int) -> None:
    assert not nhs_number_is_valid(f"943 476 591{last}")


@pytest.mark.parametrize("written", ["9434765919", "943 476 5919", "943-476-5919", " 943 476 5919 "])
def test_spaces_and_dashes_between_the_digits_do_not_matter(written: str) -> None:
    assert nhs_number_is_valid(written)


@pytest.mark.parametrize("written", ["943 476 591", "943 476 59190", "", "nine four three"])
def test_anything_but_ten_digits_is_not_valid(written: str) -> None:
    assert not nhs_number_is_valid(written)

