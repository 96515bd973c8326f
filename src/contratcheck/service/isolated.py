"""One call in a child process bounded like an audit's workers: time, memory, death with the parent."""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from multiprocessing import get_all_start_methods, get_context
from typing import Any, TypeVar

from contratcheck.errors import ContratcheckError, ExtractionError, NoTextError
from contratcheck.model import Limits
from contratcheck.service.confine import confine, memory_exceeded

T = TypeVar("T")


def isolated(function: Callable[..., T], arguments: tuple[Any, ...], limits: Limits) -> T:
    """function(*arguments) in a child that is killed past limits.timeout and may hold no more
    than limits.memory_megabytes; its ContratcheckError is raised here. Without fork, in process."""
    if "fork" not in get_all_start_methods():
        return function(*arguments)
    context = get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(send, function, arguments, limits, os.getpid()), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(limits.timeout):
            raise ExtractionError(f"Lecture arrêtée au bout de {limits.timeout:g} s : document anormalement long ou "
                                  "piégé (limite réglable : timeout dans la configuration, ou --timeout).", "timeout")
        outcome, value = pickle.loads(receive.recv_bytes())
    except EOFError:
        raise ExtractionError("La lecture de ce fichier a fait échouer le lecteur (fichier piégé ou très "
                              "endommagé).", "crash") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if outcome == "error":
        no_text, message, code = value
        raise (NoTextError if no_text else ExtractionError)(message, code)
    return value


def _run(send, function: Callable[..., Any], arguments: tuple[Any, ...], limits: Limits, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C and SIGTERM are the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    confine(limits.memory_megabytes, parent)
    try:
        result: tuple[str, Any] = ("ok", function(*arguments))
    except MemoryError:
        result = ("error", (False, memory_exceeded(limits.memory_megabytes), "memory"))
    except ContratcheckError as exc:
        result = ("error", (isinstance(exc, NoTextError), exc.message, exc.code))
    send.send_bytes(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
