"""Write SAS transport files version 5 (XPT), the format the FDA accepts for SDTM and ADaM.

Layout (all records 80 bytes; TS-140): a library header (3 records), then per member a member
header and descriptor (4 records), a NAMESTR header, one 140-byte NAMESTR per variable (padded
with blanks to a multiple of 80), an OBS header, and the observations back to back (padded with
blanks to a multiple of 80). Numbers are IBM 370 doubles (:mod:`ramunet.exports.ibm370`);
character values are UTF-8, blank-padded to the variable length. Version 5 declares no encoding:
readers must be told UTF-8 (``pyreadstat.read_xport(..., encoding="utf-8")``); pure ASCII data,
which the FDA asks for, reads the same under any encoding.

Rows are streamed in numpy batches, so memory stays flat however many rows there are. When
every character variable declares its length the rows are read once; otherwise a first pass
measures the longest value, so the rows must be re-iterable (a list, not a generator).

Two things readers cannot read back are refused rather than written: a NUL byte in a character
value or label (pyreadstat and R's ``foreign`` cut the value there), and an entirely blank last
observation (all character variables, all blank), which readers cannot tell from the blank
end-of-file padding (pyreadstat drops it).

References
----------
SAS Institute, "The Record Layout of a Data Set in SAS Transport (XPORT) Format", TS-140.
FDA, "Study Data Technical Conformance Guide" (SAS XPORT v5 required for study data).
CDISC, "A Short History of CDISC and SAS Transport Files" (the 8/40/200 limits).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from struct import Struct
from typing import IO, Final

from ramunet.clinical.errors import InvalidInput
from ramunet.exports.ibm370 import MISSING, SasMissing
from ramunet.exports.xpt_encode import encode_batch, iter_batches, measure_char_lengths
from ramunet.exports.xpt_model import (
    Dataset,
    MemberLayout,
    Row,
    Variable,
    check_dataset_header,
    needs_first_pass,
    reiterable_rows,
    resolve_layout,
)

__all__ = [
    "MISSING",
    "Dataset",
    "Row",
    "SasMissing",
    "Variable",
    "XptFile",
    "XptMember",
    "write_xpt",
]

RECORD_BYTES: Final = 80
NAMESTR_BYTES: Final = 140
_MONTHS: Final = (
    "JAN",
    "FEB",
    "MAR",
    "APR",
    "MAY",
    "JUN",
    "JUL",
    "AUG",
    "SEP",
    "OCT",
    "NOV",
    "DEC",
)
_HEADER: Final = "HEADER RECORD*******{kind:<8}HEADER RECORD!!!!!!!{digits:<30}  "
# ntype nhfun nlng nvar0 nname nlabel nform nfl nfd nfj nfill niform nifl nifd npos rest
_NAMESTR: Final = Struct(">hhhh8s40s8shhh2s8shhi52s")
SAS_VERSION: Final = "9.4"
SAS_OS: Final = "LINUX"


@dataclass(frozen=True)
class XptMember:
    """A member as written: its validated layout and how many rows went in."""

    layout: MemberLayout
    row_count: int

    @property
    def name(self) -> str:
        """The dataset name."""
        return self.layout.name


@dataclass(frozen=True)
class XptFile:
    """What :func:`write_xpt` wrote: the members in order and the total size."""

    members: tuple[XptMember, ...]
    size_bytes: int

    def member(self, name: str) -> XptMember:
        """The member called ``name``."""
        for member in self.members:
            if member.name == name:
                return member
        raise KeyError(name)


def sas_datetime(moment: datetime) -> str:
    """``ddMMMyy:hh:mm:ss`` as in the XPT headers, e.g. ``24NOV26:17:05:00``."""
    month = _MONTHS[moment.month - 1]
    return f"{moment.day:02d}{month}{moment.year % 100:02d}:{moment:%H:%M:%S}"


def _record(text: str) -> bytes:
    data = text.encode("ascii")
    assert len(data) == RECORD_BYTES, (len(data), text)
    return data


def _blank_padded(data: bytes, width: int) -> bytes:
    return data.ljust(width, b" ")


def library_header(created: datetime) -> bytes:
    """The three 80-byte library header records."""
    stamp = sas_datetime(created)
    return b"".join(
        (
            _record(_HEADER.format(kind="LIBRARY", digits="0" * 30)),
            _record(
                f"{'SAS':<8}{'SAS':<8}{'SASLIB':<8}{SAS_VERSION:<8}{SAS_OS:<8}{'':24}{stamp:<16}"
            ),
            _record(f"{stamp:<16}{'':64}"),
        )
    )


def member_header(layout: MemberLayout, created: datetime) -> bytes:
    """Member header, descriptor header, the two descriptor records and the NAMESTR header."""
    stamp = sas_datetime(created)
    label = _blank_padded(layout.label.encode("utf-8"), 40)
    descriptor2 = f"{stamp:<16}{'':16}".encode("ascii") + label + b" " * 8
    return b"".join(
        (
            _record(_HEADER.format(kind="MEMBER", digits="000000000000000001600000000140")),
            _record(_HEADER.format(kind="DSCRPTR", digits="0" * 30)),
            _record(
                f"{'SAS':<8}{layout.name:<8}{'SASDATA':<8}{SAS_VERSION:<8}{SAS_OS:<8}"
                f"{'':24}{stamp:<16}"
            ),
            descriptor2,
            _record(
                _HEADER.format(
                    kind="NAMESTR", digits=f"000000{len(layout.variables):04d}" + "0" * 20
                )
            ),
        )
    )


def namestrs(layout: MemberLayout) -> bytes:
    """The NAMESTR records (140 bytes each), blank-padded to a multiple of 80 bytes."""
    parts = []
    for number, variable in enumerate(layout.variables, start=1):
        parts.append(
            _NAMESTR.pack(
                1 if variable.type == "num" else 2,
                0,
                variable.length,
                number,
                _blank_padded(variable.name.encode("ascii"), 8),
                _blank_padded(variable.label.encode("utf-8"), 40),
                _blank_padded(variable.format.name.encode("ascii"), 8),
                variable.format.width,
                variable.format.decimals,
                0,  # justification: left
                b"\0\0",
                b" " * 8,  # no informat
                0,
                0,
                variable.position,
                b"\0" * 52,
            )
        )
    data = b"".join(parts)
    return _blank_padded(data, -(-len(data) // RECORD_BYTES) * RECORD_BYTES)


def _write_member(
    out: IO[bytes], dataset: Dataset, created: datetime, batch_rows: int
) -> tuple[XptMember, int]:
    provisional = resolve_layout(dataset, {})
    measured: dict[str, int] = {}
    if needs_first_pass(dataset):
        measured = measure_char_lengths(provisional, reiterable_rows(dataset), batch_rows)
    layout = resolve_layout(dataset, measured)
    written = out.write(member_header(layout, created) + namestrs(layout))
    written += out.write(_record(_HEADER.format(kind="OBS", digits="0" * 30)))
    rows = 0
    observations = 0
    last_observation = b""
    for batch in iter_batches(dataset.rows, batch_rows):
        encoded = encode_batch(layout, batch, rows + 1)
        observations += out.write(encoded)
        rows += len(batch)
        last_observation = encoded[-layout.observation_bytes :]
    if last_observation and not last_observation.strip(b" "):
        raise InvalidInput(
            f"{layout.name} row {rows}",
            "the last observation is entirely blank, which XPT v5 readers cannot tell from the "
            "end-of-file padding (pyreadstat drops it); end with a non-blank row",
        )
    padding = -observations % RECORD_BYTES
    written += observations + out.write(b" " * padding)
    return XptMember(layout, rows), written


def write_xpt(
    target: str | os.PathLike[str] | IO[bytes],
    datasets: Dataset | Sequence[Dataset],
    *,
    created: datetime | None = None,
    batch_rows: int = 20_000,
) -> XptFile:
    """Write one or more datasets as members of a SAS transport v5 file.

    Parameters
    ----------
    target
        A path, or a binary file object open for writing. A path is written to a temporary
        ``.part`` file renamed on success, so a refused row leaves no half-written file; with a
        file object, the bytes before the error stay written.
    datasets
        One dataset or several (SDTM puts one per file; the format allows many).
    created
        The creation and modification time in the headers; default now (UTC).
    batch_rows
        Rows encoded per numpy batch (memory is about ``batch_rows`` x row length).

    Returns
    -------
    XptFile
        The members as written (resolved lengths, row counts) and the file size.

    Raises
    ------
    InvalidInput
        Any name, label, length, format or value outside the XPT v5 rules, naming the dataset,
        the variable, the row and the rule. Headers are all checked before anything is written.
    """
    members = [datasets] if isinstance(datasets, Dataset) else list(datasets)
    if not members:
        raise InvalidInput("XPT datasets", "at least one dataset is required")
    seen: set[str] = set()
    for dataset in members:
        check_dataset_header(dataset)
        if dataset.name in seen:
            raise InvalidInput("XPT dataset name", "appears twice in one file", dataset.name)
        seen.add(dataset.name)
        if needs_first_pass(dataset):
            reiterable_rows(dataset)
    moment = created if created is not None else datetime.now(UTC)
    if isinstance(target, str | os.PathLike):
        path = Path(target)
        part = path.with_name(path.name + ".part")
        try:
            with part.open("wb") as out:
                result = _write_all(out, members, moment, batch_rows)
            part.replace(path)
        finally:
            part.unlink(missing_ok=True)
        return result
    return _write_all(target, members, moment, batch_rows)


def _write_all(
    out: IO[bytes], members: list[Dataset], created: datetime, batch_rows: int
) -> XptFile:
    size = out.write(library_header(created))
    written: list[XptMember] = []
    for dataset in members:
        member, member_size = _write_member(out, dataset, created, batch_rows)
        written.append(member)
        size += member_size
    return XptFile(tuple(written), size)
