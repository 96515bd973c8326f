"""Colours follow the conventions: NO_COLOR, FORCE_COLOR, TERM=dumb and --color, on a terminal too."""

from __future__ import annotations

import os
import pty
import subprocess

import pytest

from conftest import SAMPLES, _entry_point

ESC = b"\x1b["


def _on_a_terminal(arguments: list[str], environment: dict[str, str]) -> bytes:
    """What the command writes when its standard output is a terminal (a pseudo-terminal here)."""
    master, slave = pty.openpty()
    process = subprocess.Popen([_entry_point(), *arguments], stdout=slave, stderr=subprocess.DEVNULL, env=environment)
    os.close(slave)
    received = b""
    while True:  # read as it writes: a full terminal buffer would block it
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal is closed once the command has ended
            break
        if not chunk:
            break
        received += chunk
    process.wait(60)
    os.close(master)
    return received


def _plain_environment(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    return {**environment, "TERM": "xterm", **extra}


@pytest.mark.parametrize(("extra", "options", "expected"), [
    ({}, [], True),
    ({"NO_COLOR": "1"}, [], False),
    ({"TERM": "dumb"}, [], False),
    ({}, ["--color", "never"], False),
    ({"NO_COLOR": "1"}, ["--color", "always"], True),
])
def test_colours_on_a_terminal(extra, options, expected):
    output = _on_a_terminal(["audit", str(SAMPLES / "contrat-risque.txt"), *options], _plain_environment(**extra))
    assert b"Synth" in output and (ESC in output) is expected


@pytest.mark.parametrize(("extra", "options", "expected"), [
    ({}, [], False),
    ({"FORCE_COLOR": "1"}, [], True),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], False),
    ({}, ["--color", "always"], True),
])
def test_colours_in_a_pipe(extra, options, expected):
    result = subprocess.run([_entry_point(), "audit", str(SAMPLES / "contrat-risque.txt"), *options],
                            capture_output=True, env=_plain_environment(**extra))
    assert b"Synth" in result.stdout and (ESC in result.stdout) is expected
