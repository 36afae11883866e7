"""carbon/validation/uscc.py: GB 32100-2015 check character of unified social credit codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon.validation.uscc import ALPHABET, WEIGHTS, uscc_check_character, uscc_problem, uscc_valid


def test_weights_are_powers_of_three_mod_31():
    # GB 32100-2015 §5: W_i = 3^(i-1) mod 31
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the worked example printed in GB 32100-2015
        "914403001922038216",  # published codes of listed companies
        "91110000802100433B",
        "9144030071526726XG",
    ],
)
def test_published_codes_are_valid(code):
    assert uscc_problem(code) is None
    assert uscc_check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "check character should be 3"),
        ("91350100M000100Y4", "must have 18 characters"),
        ("91350100M000100I43", "invalid characters I"),
    ],
)
def test_broken_codes(code, message):
    problem = uscc_problem(code)
    assert problem is not None and message in problem[1]


@given(
    st.lists(
        st.one_of(
            st.text(alphabet=ALPHABET, min_size=17, max_size=17).map(lambda s: s + uscc_check_character(s)),
            st.text(alphabet=ALPHABET + "IOSVZ中ａé\U0001d7d8 \x00", min_size=0, max_size=20),
        ),
        max_size=30,
    )
)
def test_the_array_check_agrees_with_the_code_by_code_check(codes):
    assert uscc_valid(codes).tolist() == [uscc_problem(code) is None for code in codes]


def test_a_trailing_nul_is_a_nineteenth_character_not_dropped():
    # NumPy's fixed-width strings drop a trailing NUL: counted so, the code would pass as 18 characters
    code = "91350100M000100Y43"
    assert uscc_valid([code, code + "\x00", code[:17] + "\x00"]).tolist() == [True, False, False]
    assert uscc_problem(code + "\x00") is not None
