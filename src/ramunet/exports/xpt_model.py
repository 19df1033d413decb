"""What goes into a SAS transport v5 file: variables and datasets, checked against the v5 limits.

The limits are those of the SAS transport format version 5, which the FDA requires for study
data submissions: dataset and variable names of at most 8 characters, labels of at most 40,
character values of at most 200 bytes. Every breach raises :class:`InvalidInput` naming the
dataset, the variable and the rule; nothing is truncated.

References
----------
SAS Institute, "The Record Layout of a Data Set in SAS Transport (XPORT) Format", TS-140.
FDA, "Study Data Technical Conformance Guide" (SAS XPORT v5 required for study data).
CDISC, "A Short History of CDISC and SAS Transport Files" (the 8/40/200 limits).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from ramunet.clinical.errors import InvalidInput, UnknownTerm

VariableType = Literal["char", "num"]
#: One observation: a mapping from variable name to value, or a sequence in variable order.
Row = Mapping[str, object] | Sequence[object]

MAX_NAME_CHARS: Final = 8
MAX_LABEL_BYTES: Final = 40
MAX_CHAR_BYTES: Final = 200
NUM_BYTES: Final = 8
MAX_VARIABLES: Final = 9999  # the NAMESTR header holds the count in 4 digits
MAX_FORMAT_WIDTH: Final = 32767  # a signed 16-bit field
MAX_FORMAT_DECIMALS: Final = 32767

_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_FORMAT = re.compile(
    r"(?P<name>\$?(?:[A-Z_](?:[A-Z0-9_]*[A-Z_])?)?)(?P<width>\d*)\.(?P<decimals>\d*)"
)
_V5 = "the XPT v5 limit"


@dataclass(frozen=True)
class SasFormat:
    """A SAS display format split into the NAMESTR fields: name, width and decimals.

    ``SasFormat.parse("DATE9.")`` gives ``("DATE", 9, 0)``; ``"8.2"`` gives ``("", 8, 2)``;
    ``"$CHAR20."`` gives ``("$CHAR", 20, 0)``; the empty string gives no format.
    """

    name: str = ""
    width: int = 0
    decimals: int = 0

    @classmethod
    def parse(cls, field: str, text: str) -> SasFormat:
        """Parse ``[$]NAME[w].[d]`` (case-insensitive); ``field`` names it in errors."""
        if text == "":
            return cls()
        match = _FORMAT.fullmatch(text.upper())
        if match is None:
            raise InvalidInput(
                field, "not a SAS format; expected [$]NAME[w].[d], e.g. DATE9.", text
            )
        name = match["name"]
        width = int(match["width"] or 0)
        decimals = int(match["decimals"] or 0)
        if len(name) > MAX_NAME_CHARS:
            raise InvalidInput(field, f"format name {len(name)} characters > 8, {_V5}", text)
        if width > MAX_FORMAT_WIDTH or decimals > MAX_FORMAT_DECIMALS:
            raise InvalidInput(field, f"width and decimals must be <= {MAX_FORMAT_WIDTH}", text)
        return cls(name, width, decimals)

    def __str__(self) -> str:
        if not (self.name or self.width):
            return ""
        width = str(self.width) if self.width else ""
        decimals = str(self.decimals) if self.decimals else ""
        return f"{self.name}{width}.{decimals}"


@dataclass(frozen=True)
class Variable:
    """One variable (column) of an XPT dataset.

    Parameters
    ----------
    name
        1-8 characters: uppercase letters, digits and underscores, not starting with a digit.
    label
        At most 40 bytes (UTF-8).
    type
        ``"char"`` or ``"num"``. ISO 8601 dates and times stay ``"char"`` (SDTM convention,
        SDTMIG v3.4 §4.4.1 "Formats for Date/Time Variables").
    length
        Bytes per value. Character: 1-200; ``None`` means the longest value in the data (this
        needs a first pass over the rows, so the rows must then be re-iterable, e.g. a list).
        Numeric: always 8 (a full IBM double); ``None`` means 8.
    format
        An optional SAS display format such as ``"DATE9."``, ``"8.2"`` or ``"$CHAR20."``.
    """

    name: str
    label: str
    type: VariableType
    length: int | None = None
    format: str = ""


@dataclass(frozen=True, eq=False)
class Dataset:
    """One member of an XPT file: a named table streamed row by row.

    Parameters
    ----------
    name
        The dataset (member) name, 1-8 characters, e.g. ``"AE"``.
    label
        At most 40 bytes, e.g. ``"Adverse Events"``.
    variables
        The columns in file order.
    rows
        Mappings keyed by variable name, or sequences in variable order; each row is read
        once and written, so memory stays flat. Character values are ``str`` or ``None``
        (written blank, the SAS character missing value; trailing blanks are not significant
        in SAS and do not read back); numeric values are ``int``,
        ``float``, ``Decimal``, numpy numbers, ``None`` or ``NaN`` (SAS missing ``.``), or a
        :class:`~ramunet.exports.ibm370.SasMissing` for ``.A``-``.Z`` / ``._``. If any
        character length is ``None``, ``rows`` is iterated twice and must not be an iterator.
    """

    name: str
    label: str
    variables: Sequence[Variable]
    rows: Iterable[Row]


@dataclass(frozen=True)
class ResolvedVariable:
    """A variable after validation: final length, parsed format and byte offset in the row."""

    name: str
    label: str
    type: VariableType
    length: int
    format: SasFormat
    position: int
    length_declared: bool


@dataclass(frozen=True)
class MemberLayout:
    """A dataset's validated header: names, labels and the observation layout."""

    name: str
    label: str
    variables: tuple[ResolvedVariable, ...]

    @property
    def observation_bytes(self) -> int:
        """Bytes per observation (the sum of the variable lengths)."""
        return sum(variable.length for variable in self.variables)


def check_name(field: str, name: str) -> None:
    """Check a SAS v5 name: 1-8 characters, ``[A-Z_][A-Z0-9_]*``."""
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput(field, f"{len(name)} characters > {MAX_NAME_CHARS}, {_V5}", name)
    if _NAME.fullmatch(name) is None:
        raise InvalidInput(
            field,
            "must be uppercase letters, digits or underscores, starting with a letter or "
            "underscore (SAS v5 name rule)",
            name,
        )


def check_label(field: str, label: str) -> None:
    """Check a label fits the 40-byte NAMESTR field (UTF-8 byte length)."""
    if "\0" in label:
        raise InvalidInput(field, "holds a NUL character, which XPT readers take as the end", label)
    size = len(label.encode("utf-8"))
    if size > MAX_LABEL_BYTES:
        raise InvalidInput(field, f"{size} bytes > {MAX_LABEL_BYTES}, {_V5}", label)


def check_dataset_header(dataset: Dataset) -> None:
    """Check the dataset's name, label and variables (everything but the rows and lengths)."""
    check_name("XPT dataset name", dataset.name)
    ds = dataset.name
    check_label(f"{ds} dataset label", dataset.label)
    if not dataset.variables:
        raise InvalidInput(f"{ds} variables", "at least one variable is required")
    if len(dataset.variables) > MAX_VARIABLES:
        raise InvalidInput(f"{ds} variables", f"{len(dataset.variables)} > {MAX_VARIABLES}, {_V5}")
    seen: set[str] = set()
    for variable in dataset.variables:
        check_name(f"{ds} variable name", variable.name)
        if variable.name in seen:
            raise InvalidInput(
                f"{ds} variable name", "appears twice; names must be unique", variable.name
            )
        seen.add(variable.name)
        field = f"{ds}.{variable.name}"
        check_label(f"{field} label", variable.label)
        if variable.type not in ("char", "num"):
            raise UnknownTerm(f"{field} type", variable.type, ("char", "num"))
        fmt = SasFormat.parse(f"{field} format", variable.format)
        if variable.type == "char":
            if variable.length is not None and not 1 <= variable.length <= MAX_CHAR_BYTES:
                raise InvalidInput(
                    f"{field} length", f"must be 1-{MAX_CHAR_BYTES} bytes, {_V5}", variable.length
                )
            if fmt.name and not fmt.name.startswith("$"):
                raise InvalidInput(
                    f"{field} format", "a character variable needs a $ format", variable.format
                )
        else:
            if variable.length not in (None, NUM_BYTES):
                raise InvalidInput(
                    f"{field} length",
                    "must be 8 for a numeric variable (a full IBM double; shorter loses precision)",
                    variable.length,
                )
            if fmt.name.startswith("$"):
                raise InvalidInput(
                    f"{field} format", "a numeric variable cannot take a $ format", variable.format
                )


def needs_first_pass(dataset: Dataset) -> bool:
    """True if some character length must be measured from the data."""
    return any(v.type == "char" and v.length is None for v in dataset.variables)


def resolve_layout(dataset: Dataset, measured: Mapping[str, int]) -> MemberLayout:
    """Fix every length (declared, or measured in a first pass) and the byte offsets."""
    position = 0
    resolved: list[ResolvedVariable] = []
    for variable in dataset.variables:
        declared = variable.length is not None
        if variable.type == "num":
            length = NUM_BYTES
        elif variable.length is not None:
            length = variable.length
        else:
            length = max(1, measured.get(variable.name, 1))
        resolved.append(
            ResolvedVariable(
                name=variable.name,
                label=variable.label,
                type=variable.type,
                length=length,
                format=SasFormat.parse(variable.name, variable.format),
                position=position,
                length_declared=declared,
            )
        )
        position += length
    return MemberLayout(dataset.name, dataset.label, tuple(resolved))


def reiterable_rows(dataset: Dataset) -> Iterable[Row]:
    """The rows, refusing a one-shot iterator when a first pass is needed."""
    if isinstance(dataset.rows, Iterator):
        unknown = [v.name for v in dataset.variables if v.type == "char" and v.length is None]
        raise InvalidInput(
            f"{dataset.name} rows",
            f"character lengths of {', '.join(unknown)} are not given, so the rows are read "
            "twice; pass a list (or another re-iterable) or declare Variable.length",
        )
    return dataset.rows
