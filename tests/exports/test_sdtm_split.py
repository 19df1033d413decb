"""Free text longer than an SDTM variable holds: split for SUPP-- records without loss
(SDTMIG v3.4 §4.5.3.2)."""

from __future__ import annotations

from ramunet.exports.sdtm_model import split_text


def test_text_of_exactly_200_bytes_stays_whole():
    assert split_text("x" * 200) == ("x" * 200, ())


def test_text_of_201_bytes_continues_in_one_piece():
    assert split_text("x" * 201) == ("x" * 200, ("x",))


def test_empty_text_gives_no_value_and_no_pieces():
    assert split_text("") == (None, ())
    assert split_text(None) == (None, ())


def test_split_falls_between_words_and_keeps_every_character():
    text = "word " * 60  # 300 characters
    head, rest = split_text(text)
    assert head is not None and head.endswith(" ")
    assert len(head.encode()) <= 200
    assert head + "".join(rest) == text


def test_multibyte_characters_count_in_bytes_and_are_never_cut():
    text = "ü" * 150  # 300 bytes in UTF-8
    head, rest = split_text(text)
    assert head == "ü" * 100
    assert rest == ("ü" * 50,)
