"""The blocks of a report, independent of how they are rendered (Markdown or Typst)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Heading:
    """A section title; level 1 is a section, 2 a subsection."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Running text."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """An unordered list, one string per item."""

    items: Sequence[str]


@dataclass(frozen=True)
class Code:
    """Preformatted text shown as it is (a printed network, a command)."""

    text: str


@dataclass(frozen=True)
class Column:
    """One column of a `Table`: its head, the cell it makes of a row, its alignment."""

    head: str
    cell: Callable[[Any], str]
    align: str = "right"  # "left" or "right"

    def __post_init__(self):
        if self.align not in ("left", "right"):
            raise ValueError(f"Column {self.head!r}: align must be 'left' or 'right'")


@dataclass(frozen=True)
class Table:
    """Rows (any objects) shown through column specs; an optional caption under it."""

    columns: Sequence[Column]
    rows: Sequence[Any]
    caption: str | None = None

    def cells(self) -> list[list[str]]:
        """The body: one list of cell strings per row."""
        return [[column.cell(row) for column in self.columns] for row in self.rows]


@dataclass(frozen=True)
class Figure:
    """An image file (a path relative to the report's folder) with its caption; `width` is
    the fraction of the text width it takes in the PDF."""

    path: str
    caption: str
    width: float = 1.0


@dataclass
class Document:
    """A report: its title, one line under it, and its blocks in reading order."""

    title: str
    blocks: list = field(default_factory=list)
    subtitle: str | None = None
