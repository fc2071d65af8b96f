"""Many letters at once: the files of a folder, of a zip, or of an upload, one letter each.

A batch never stops at a bad file: each file comes out either with its bytes or with the
reason it is refused, and the caller registers the others. A zip is opened with care, since
its sizes are claims and its names are text: it may hold at most `max_files` members, each
at most `max_bytes` and all together at most `max_total_bytes` *as read* (a member is read
with a cap, whatever its header says); members with an absolute path or ".." in it,
encrypted members and zips inside the zip are refused; folders, hidden files and macOS's
`__MACOSX` shadows are passed over. Nothing is written to disk.

A DOCX or ODT file is a zip too, so an upload is first asked what document it is; only a zip
that is no document is opened as a batch.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from hearing.imports.limits import ImportLimits
from hearing.letters.extract import sniff_kind
from hearing.models import Consultation, Submission
from hearing.services import letters
from hearing.services.attachments import (
    KINDS,
    AttachmentLimits,
    AttachmentRefused,
    display_name,
    megabytes,
    read_file,
    refusal_text,
)


@dataclass(frozen=True)
class BatchLimits:
    max_files: int = 500  # files of a folder, members of a zip
    max_bytes: int = 25 * 1024 * 1024  # one letter
    max_total_bytes: int = 200 * 1024 * 1024  # a zip unpacked, or an upload

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> BatchLimits:
        return cls(
            max_files=int(config.get("LETTER_BATCH_MAX_FILES", cls.max_files)),
            max_bytes=ImportLimits.from_config(config).max_letter_bytes,
            max_total_bytes=int(config.get("LETTER_BATCH_MAX_BYTES", cls.max_total_bytes)),
        )


@dataclass(frozen=True)
class BatchFile:
    """One file of a batch: its bytes, or why it is refused (a code and its parameters)."""

    name: str
    data: bytes = b""
    refused: str = ""
    params: Mapping[str, Any] | None = None

    @classmethod
    def refusal(cls, name: str, code: str, **params: Any) -> BatchFile:
        return cls(name, refused=code, params={"name": name, **params})


def is_batch(data: bytes) -> bool:
    """A zip of letters, not a document that happens to be a zip (DOCX, ODT)."""
    return sniff_kind(data) not in KINDS and zipfile.is_zipfile(io.BytesIO(data))


def from_uploads(uploads: list[tuple[str, bytes]], limits: BatchLimits) -> Iterator[BatchFile]:
    """The letters of an upload: each file, and the members of each zip among them."""
    for name, data in uploads:
        if is_batch(data):
            yield from from_zip(name, data, limits)
        else:
            yield _sized(display_name(name), data, limits)


def from_path(path: Path, limits: BatchLimits) -> Iterator[BatchFile]:
    """The letters of a folder (and its subfolders, in name order), of a zip file, or the one
    letter a file is."""
    if path.is_file():
        yield from from_uploads([(path.name, path.read_bytes())], limits)
        return
    files = sorted(
        p for p in path.rglob("*") if p.is_file() and not _is_hidden(p.relative_to(path))
    )
    if len(files) > limits.max_files:
        yield BatchFile.refusal(
            path.name, "batch_too_many", count=len(files), limit=limits.max_files
        )
        return
    for file in files:
        name = str(file.relative_to(path))
        size = file.stat().st_size
        if size > limits.max_bytes:
            yield _too_big(name, size, limits)
        else:
            yield _sized(name, file.read_bytes(), limits)


def from_zip(name: str, data: bytes, limits: BatchLimits) -> Iterator[BatchFile]:
    """The letters of a zip; the zip itself refused when it is no zip or holds too many."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        yield BatchFile.refusal(name, "zip_bad")
        return
    with archive:
        members = [
            m
            for m in archive.infolist()
            if not m.is_dir() and not _is_hidden(PurePosixPath(m.filename))
        ]
        if len(members) > limits.max_files:
            yield BatchFile.refusal(
                name, "batch_too_many", count=len(members), limit=limits.max_files
            )
            return
        total = 0
        for member in members:
            refused = _unsafe(member)
            if refused is not None:
                yield refused
                continue
            if member.file_size > limits.max_bytes:
                yield _too_big(member.filename, member.file_size, limits)
                continue
            room = limits.max_total_bytes - total
            if room <= 0:
                yield BatchFile.refusal(
                    member.filename, "batch_too_big", limit=megabytes(limits.max_total_bytes)
                )
                continue
            try:
                with archive.open(member) as stream:
                    content = stream.read(min(limits.max_bytes, room) + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                yield BatchFile.refusal(member.filename, "zip_member_bad")
                continue
            total += len(content)
            if len(content) > limits.max_bytes:
                yield _too_big(member.filename, len(content), limits)
            elif len(content) > room:
                yield BatchFile.refusal(
                    member.filename, "batch_too_big", limit=megabytes(limits.max_total_bytes)
                )
            elif is_batch(content):
                yield BatchFile.refusal(member.filename, "zip_nested")
            else:
                yield BatchFile(member.filename, content)


def _unsafe(member: zipfile.ZipInfo) -> BatchFile | None:
    path = PurePosixPath(member.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
        return BatchFile.refusal(member.filename, "zip_unsafe_name")
    if member.flag_bits & 0x1:
        return BatchFile.refusal(member.filename, "zip_encrypted")
    return None


def _is_hidden(path: PurePosixPath | Path) -> bool:
    """A dot file (".DS_Store") or macOS's shadow folder; ".." is no hidden file, but a way
    out (`_unsafe` refuses it)."""
    return any(
        (part.startswith(".") and part not in (".", "..")) or part == "__MACOSX"
        for part in path.parts
    )


def _sized(name: str, data: bytes, limits: BatchLimits) -> BatchFile:
    if len(data) > limits.max_bytes:
        return _too_big(name, len(data), limits)
    return BatchFile(name, data)


def _too_big(name: str, size: int, limits: BatchLimits) -> BatchFile:
    return BatchFile.refusal(
        name, "too_big", size=megabytes(size), limit=megabytes(limits.max_bytes)
    )


@dataclass
class BatchOutcome:
    """What registering a batch did with each file."""

    registered: list[tuple[str, Submission]] = field(default_factory=list)
    existing: list[tuple[str, Submission]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason in words)


def register_batch(
    consultation: Consultation,
    files: Iterable[BatchFile],
    *,
    reading: AttachmentLimits,
    now: datetime,
    locale: str,
) -> BatchOutcome:
    """Register every letter of the batch that can be read, awaiting review (flush only); a
    file that cannot be read is listed with its reason, and the others go on."""
    outcome = BatchOutcome()
    for file in files:
        if file.refused:
            reason = refusal_text(file.refused, file.params or {}, locale)
            outcome.refused.append((file.name, reason))
            continue
        try:
            read = read_file(file.name, file.data, reading)
        except AttachmentRefused as refused:
            reason = refusal_text(refused.code, refused.params, locale)
            outcome.refused.append((file.name, reason))
            continue
        submission, new = letters.register(consultation, read, now)
        (outcome.registered if new else outcome.existing).append((file.name, submission))
    return outcome
