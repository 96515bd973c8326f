"""What a worker process does first: die with its parent, and hold no more memory than allowed."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import signal
import sys

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def confine(memory_megabytes: float, parent: int) -> None:
    """Called in a fresh worker. Its parent may be killed outright (SIGKILL, or SIGTERM to the
    parent alone): the worker must not live on, holding a contract's text. The memory bound
    turns a file that would swallow the machine into a MemoryError the worker reports."""
    _die_with(parent)
    _limit_memory(memory_megabytes)


def memory_exceeded(megabytes: float) -> str:
    """What the user reads when a document needs more memory than a worker may hold."""
    return (f"Traitement arrêté : ce document demande plus de {megabytes:g} Mo de mémoire (document anormalement "
            "volumineux ou piégé ; limite réglable : memory-mb dans [limits]).")


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _limit_memory(megabytes: float) -> None:
    """Bound the worker's heap (RLIMIT_DATA: what it allocates, not the libraries it maps) to what
    it holds now plus `megabytes`."""
    limit = int(megabytes * 1024 * 1024) + _allocated()
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ValueError, OSError):
        pass  # a platform without the limit: the time limit still applies


def _allocated() -> int:
    """Bytes of data the process holds already (VmData on Linux; 0 where unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0
