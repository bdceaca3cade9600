from __future__ import annotations

import pytest

from mspvault.identity.domain.kdf import DEFAULT_KDF, PLAUSIBLE_KDFS, InvalidKdf, KdfSettings, KdfType, fake_kdf


@pytest.mark.parametrize("iterations", [600_000, 1_000_000, 2_000_000])
def test_pbkdf2_accepts_bitwardens_range(iterations: int) -> None:
    assert KdfSettings.parse(0, iterations, None, None) == KdfSettings(KdfType.PBKDF2_SHA256, iterations)


@pytest.mark.parametrize("iterations", [0, 5_000, 100_000, 599_999, 2_000_001])
def test_pbkdf2_refuses_weak_or_absurd_iterations(iterations: int) -> None:
    with pytest.raises(InvalidKdf) as raised:
        KdfSettings.parse(0, iterations, None, None)
    assert raised.value.field == "kdfIterations"


def test_pbkdf2_ignores_memory_and_parallelism() -> None:
    assert KdfSettings.parse(0, 600_000, 64, 4) == KdfSettings(KdfType.PBKDF2_SHA256, 600_000, None, None)


def test_argon2id_accepts_minimums_and_maximums() -> None:
    assert KdfSettings.parse(1, 2, 16, 1) == KdfSettings(KdfType.ARGON2ID, 2, 16, 1)
    assert KdfSettings.parse(1, 10, 1024, 16) == KdfSettings(KdfType.ARGON2ID, 10, 1024, 16)


@pytest.mark.parametrize(
    ("iterations", "memory", "parallelism", "field"),
    [
        (1, 64, 4, "kdfIterations"),
        (3, 15, 4, "kdfMemory"),
        (3, 1025, 4, "kdfMemory"),
        (3, None, 4, "kdfMemory"),
        (3, 64, 0, "kdfParallelism"),
        (3, 64, 17, "kdfParallelism"),
        (3, 64, None, "kdfParallelism"),
    ],
)
def test_argon2id_refuses_values_below_bitwardens_minimums(
    iterations: int, memory: int | None, parallelism: int | None, field: str
) -> None:
    with pytest.raises(InvalidKdf) as raised:
        KdfSettings.parse(1, iterations, memory, parallelism)
    assert raised.value.field == field


def test_unknown_kdf_type_is_refused() -> None:
    with pytest.raises(InvalidKdf) as raised:
        KdfSettings.parse(7, 600_000, None, None)
    assert raised.value.field == "kdf"


def test_default_is_pbkdf2_600000() -> None:
    assert KdfSettings(KdfType.PBKDF2_SHA256, 600_000) == DEFAULT_KDF


def test_the_fake_kdf_of_an_unknown_email_is_stable_plausible_and_keyed() -> None:
    """Issue 11 #9: prelogin must not tell an unknown email from an account with non-default settings."""
    secret = b"s" * 32
    emails = [f"user{i}@example.test" for i in range(200)]
    answers = [fake_kdf(secret, email) for email in emails]
    assert answers == [fake_kdf(secret, email) for email in emails]  # the same every time
    assert set(answers) == {settings for settings, _ in PLAUSIBLE_KDFS}  # not always the defaults
    assert answers.count(DEFAULT_KDF) > len(answers) // 3  # the defaults stay the most common answer
    assert [fake_kdf(b"t" * 32, email) for email in emails] != answers  # another secret, other answers
    for settings, _ in PLAUSIBLE_KDFS:  # each is a setting a client may register with
        assert KdfSettings.parse(settings.kdf_type, settings.iterations, settings.memory, settings.parallelism)
