"""The server checks only the shape of the EncStrings it stores."""

from __future__ import annotations

import pytest

from mspvault.provider.domain.encstrings import require_rsa, require_symmetric
from mspvault.provider.domain.errors import InvalidEncString
from mspvault.shared.testing.samples import FIXED_ENC_STRING

SYM = FIXED_ENC_STRING
RSA = "4.cnNhLWNpcGhlcnRleHQ="


def test_well_formed_strings_pass():
    assert require_symmetric(SYM, "key") == SYM
    assert require_rsa(RSA, "key") == RSA


@pytest.mark.parametrize(
    "value", [RSA, "2.a|b", "2.!!|!!|!!", "plaintext", "2.", "0.abc|def", "0" + SYM, "２" + SYM[1:]]
)
def test_malformed_symmetric_strings_are_refused_naming_the_field(value):
    with pytest.raises(InvalidEncString) as error:
        require_symmetric(value, "keyPair.encryptedPrivateKey")
    assert error.value.field == "keyPair.encryptedPrivateKey"


@pytest.mark.parametrize("value", [SYM, "4.", "4.not base64!", "secret"])
def test_malformed_rsa_strings_are_refused(value):
    with pytest.raises(InvalidEncString):
        require_rsa(value, "key")
