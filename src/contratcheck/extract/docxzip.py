"""The parts of a DOCX archive, read within the limits whatever the archive declares, as safe XML.

A zip's central directory states each part's size, and a hostile file lies: every part read is
decompressed while its bytes are counted, and refused once past max-zip-mb. Its XML is then
parsed as a stream by defusedxml (no DTD, no entity, whatever the encoding or the padding before
them), keeping only one top-level element in memory at a time.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Generator, Iterable, Iterator
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from contratcheck.errors import ExtractionError
from contratcheck.model import Limits

_CHUNK = 1 << 20
# What a part's size is taken to be when it is opened: zipfile then decompresses up to the stream's
# true end (checking its CRC) instead of cutting it at the declared size; the counting stops it.
_UNBOUNDED = 1 << 62
_UNSAFE = ("Document Word suspect : il déclare une DTD ou des entités XML, ce que Word ne fait jamais. "
           "Il n'a pas été lu.")


def too_large(limits: Limits) -> ExtractionError:
    return ExtractionError(f"Document Word de plus de {limits.max_zip_megabytes:g} Mo une fois décompressé, au-delà "
                           "de la limite (option de configuration max-zip-mb). Il n'a pas été lu.", "too-large")


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """What the directory declares, before anything is decompressed: entry count and total size."""
    entries = archive.infolist()
    if len(entries) > limits.max_zip_entries:
        raise ExtractionError(f"Document Word anormal : {len(entries)} éléments dans l'archive, au-delà de la limite de "
                              f"{limits.max_zip_entries} (option de configuration max-zip-entries ; bombe de "
                              "décompression ?). Il n'a pas été lu.", "zip-bomb")
    if sum(e.file_size for e in entries) > limits.max_zip_megabytes * 1_000_000:
        raise too_large(limits)


def measure(archive: zipfile.ZipFile, names: Iterable[str], limits: Limits) -> None:
    """Decompress the parts to be read, counting their true sizes (never holding them): too-large
    beyond max-zip-mb in all, whatever the directory declares."""
    limit = limits.max_zip_megabytes * 1_000_000
    total = 0
    for name in names:
        with _open(archive, name) as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise too_large(limits)


def children(archive: zipfile.ZipFile, name: str, container: str | None = None,
             missing: str | None = None) -> Iterator[ET.Element]:
    """Each child of the part's root (or of the root's first `container` child), whole, in order;
    each is dropped once the caller has it. If the part or the container is absent, nothing, or the
    error `missing` when given."""
    try:
        stream = _open(archive, name)
    except KeyError:
        found = False
    else:
        with stream:
            try:
                found = yield from _children(stream, container)
            except DefusedXmlException:
                raise ExtractionError(_UNSAFE, "unsafe-xml") from None
    if not found and missing:
        raise ExtractionError(missing, "corrupt")


def _children(stream: IO[bytes], container: str | None) -> Generator[ET.Element, None, bool]:
    depth = 0 if container is None else 1  # of the element whose children are wanted
    holder: ET.Element | None = None
    path: list[ET.Element] = []  # the open elements, root first
    for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            if holder is None and len(path) == depth and (container is None or element.tag == container):
                holder = element
            path.append(element)
            continue
        path.pop()
        if path and path[-1] is holder:
            yield element
        if 0 < len(path) <= depth + 1:  # under the root or one of its children: read, now dropped
            path[-1].remove(element)
    return holder is not None


def _open(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    info = archive.getinfo(name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # Word only stores or deflates; zipfile inflates bzip2 and lzma chunks without any bound.
        raise ExtractionError(f"Document Word anormal : « {name} » est compressé d'une façon que Word n'emploie pas. "
                              "Il n'a pas été lu.", "corrupt")
    info = copy.copy(info)
    info.file_size = _UNBOUNDED
    return archive.open(info)
