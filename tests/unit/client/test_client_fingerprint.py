"""The fingerprint phrase agrees with Bitwarden's published vector and depends on both inputs."""

import base64

import pytest

from mspvault.client.crypto import generate_key_pair
from mspvault.client.fingerprint import eff_long_word_list, fingerprint_phrase, hash_phrase

# sdk-internal `fingerprint.rs` test: a user id, an RSA-2048 SPKI, and the phrase Bitwarden's clients show.
BITWARDEN_USER_ID = "a09726a0-9590-49d1-a5f5-afe300b6a515"
BITWARDEN_PUBLIC_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuyYs8W7NWf0Zv35Ueco93730dtRKi4Jhc6Snar+86drE+ruSfaCWMcbgsAoAj2Pm6K"
    "AzaJrTIVCqBERQ23OncpzjfcGAeyf+v3w/gSw/EjihMJ4AG5ICY4hLFYcGdgwa+7is+TVO0i6PEWjKQa3l2+mQo2XY7pg2ngHDMssV4gxSqq+q"
    "oBX3+FBhewCYdOV+3cebwsAzz7HwoFTxKViwNW8crbHonhZPhZgfIAzEkzo5MvzQg5azhLKW6vuPfaOQFC5HqPykVnh8OPzO0uzUi3+97CguAu"
    "4N2CgwVYXltZuw2fGamdVw3kjbxQPbOE1tL0j7gyTwYKkfUl2m8gMh1QIDAQAB"
)


def test_matches_bitwarden_published_vector() -> None:
    assert fingerprint_phrase(BITWARDEN_USER_ID, BITWARDEN_PUBLIC_KEY) == "turban-deftly-anime-chatroom-unselfish"


def test_word_list_is_the_eff_long_list() -> None:
    words = eff_long_word_list()
    assert len(words) == 7776
    assert (words[0], words[-1]) == ("abacus", "zoom")
    assert len(set(words)) == 7776


def test_phrase_depends_on_material_and_key() -> None:
    other_key = generate_key_pair().public_key
    phrase = fingerprint_phrase(BITWARDEN_USER_ID, BITWARDEN_PUBLIC_KEY)
    assert fingerprint_phrase("another-user", BITWARDEN_PUBLIC_KEY) != phrase
    assert fingerprint_phrase(BITWARDEN_USER_ID, other_key) != phrase
    assert len(phrase.split("-")) == 5


def test_short_digest_is_refused() -> None:
    with pytest.raises(ValueError, match="too short"):
        hash_phrase(bytes(8))


def test_public_key_vector_decodes_to_the_sdk_bytes() -> None:
    spki = base64.b64decode(BITWARDEN_PUBLIC_KEY)
    assert len(spki) == 294
    assert spki[:4] == bytes([48, 130, 1, 34])
    assert spki[-5:] == bytes([2, 3, 1, 0, 1])
