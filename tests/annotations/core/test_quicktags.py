from annotations.core.quicktags import ClaimSpec, parse_tag_input


def test_status_and_title():
    parsed = parse_tag_input("unverified: terrorists claim")
    assert parsed.claim == ClaimSpec("unverified", "terrorists claim")
    assert parsed.tags == ()


def test_plain_tags_and_claim_mixed_with_spacing():
    parsed = parse_tag_input(" police ,  needs context :  crowd  size , #police, protest")
    assert parsed.claim == ClaimSpec("needs context", "crowd size")
    assert parsed.tags == ("police", "protest")


def test_two_claims_and_empty_parts_are_errors():
    assert parse_tag_input("false: a, verified: b").errors
    assert parse_tag_input(": title").errors
    assert parse_tag_input("status:").errors
