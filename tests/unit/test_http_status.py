"""The HTTP status of a domain error comes from its class: every error class of the code has
one, a subclass inherits its base's, and a class with none is a 500, never a silent 400."""

from __future__ import annotations

import json

import pytest

import control_plane.app  # noqa: F401  (imports every domain, so every error class is defined)
from control_plane.core.http import error_response, status_of
from control_plane.recordings.service import NoRecording
from pbx_core.errors import Conflict, NotFound, PbxError

pytestmark = pytest.mark.unit


def _all_subclasses(cls: type[PbxError]) -> list[type[PbxError]]:
    out, todo = [], [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            out.append(sub)
            todo.append(sub)
    return out


def test_every_error_class_of_the_code_has_a_status() -> None:
    classes = [c for c in _all_subclasses(PbxError) if c.__module__.startswith(("pbx_core", "control_plane"))]
    assert len(classes) >= 9
    assert [c.__name__ for c in classes if status_of(c) is None] == []


def test_a_subclass_takes_its_base_status_and_keeps_its_code() -> None:
    assert status_of(NoRecording) == 404
    r = error_response(NoRecording("this call has no recording"))
    assert r.status_code == 404 and r.body["error"]["code"] == "recording_not_found"


def test_an_error_class_without_a_status_is_a_server_error_not_the_clients() -> None:
    class Unmapped(PbxError):
        code = "something_new"

    r = error_response(Unmapped("oops"))
    assert r.status_code == 500
    assert json.loads(json.dumps(r.body))["error"]["code"] == "internal"
    assert error_response(Conflict("x")).status_code == 409 and error_response(NotFound("y")).status_code == 404
