"""The merge an edit that lost a race starts from (the views are tested where they live)."""

from annotations.core.conflicts import MARK_MINE, MARK_THEIRS, merge_texts


def test_merge_of_edits_to_different_places_is_clean():
    merged = merge_texts(
        base="Witnesses said the march was peaceful.",
        mine="Witnesses said the march was peaceful and orderly.",
        theirs="Several witnesses said the march was peaceful.",
    )
    assert merged.clean
    assert merged.text == "Several witnesses said the march was peaceful and orderly."


def test_merge_of_edits_to_the_same_words_keeps_both_with_markers():
    merged = merge_texts(base="one two three", mine="one 2 three", theirs="one deux three")
    assert not merged.clean
    assert merged.text.startswith(MARK_THEIRS) and MARK_MINE in merged.text
    assert "one deux three" in merged.text and "one 2 three" in merged.text


def test_merge_without_a_base_offers_both():
    merged = merge_texts(base=None, mine="a", theirs="b")
    assert not merged.clean and "a" in merged.text and "b" in merged.text
