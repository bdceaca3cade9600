"""Errors that state their fixed answer in the class line (`mspvault.shared.errors`)."""

from __future__ import annotations

import pickle

import pytest

from mspvault.shared.errors import DomainError, NotFoundError


class ThingNotFound(NotFoundError, message="Thing not found."): ...


class BadColour(DomainError, message="Not a colour.", field="colour"): ...


class WorseColour(BadColour): ...


def test_a_fixed_answer_needs_no_arguments() -> None:
    error = ThingNotFound()
    assert (error.message, error.field, str(error)) == ("Thing not found.", None, "Thing not found.")
    assert isinstance(error, NotFoundError)


def test_the_field_comes_with_the_class_and_subclasses_inherit_both() -> None:
    assert (BadColour().message, BadColour().field) == ("Not a colour.", "colour")
    assert (WorseColour().message, WorseColour().field) == ("Not a colour.", "colour")


def test_a_message_given_at_raise_wins_and_keeps_the_field() -> None:
    error = BadColour("Mauve is not served.")
    assert (error.message, error.field) == ("Mauve is not served.", "colour")


def test_an_error_without_a_fixed_answer_must_be_given_one() -> None:
    with pytest.raises(TypeError, match="DomainError"):
        DomainError()
    assert DomainError("No.", field="x").field == "x"


def test_it_survives_a_pickle_round_trip() -> None:
    copy = pickle.loads(pickle.dumps(BadColour("Mauve.")))
    assert (type(copy), copy.message, copy.field) == (BadColour, "Mauve.", "colour")
