"""A study's records: one `Round` per trained arm and round, and the `Result` that holds them
with the summaries and effects of each table, computed once, saved and read as JSON."""

import functools
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from proj1 import stats
from proj1.study import TABLES


@dataclass(frozen=True)
class Round:
    """One arm of one table trained and tested in one round (errors are fractions)."""

    table: str  # a key of study.TABLES
    arch: str  # the arm's name in its table
    round: int
    seed: int  # the round's pairs and initialisation
    params: int
    train_error: float
    test_error: float
    digit_error: float | None  # comparing the argmax digits; None without digit logits
    seconds: float  # of training
    settings: dict  # what it trained with (network and training options)
    history: dict  # per epoch: "loss", "train_error", "test_error" (empty without curves)


@dataclass
class Result:
    """Every `Round` of a run, with the data `source` and the run's `config`."""

    source: str
    config: dict
    rounds: list[Round] = field(default_factory=list)

    def table_rounds(self, table: str) -> list[Round]:
        """The records of one table, in the order they were made."""
        return [r for r in self.rounds if r.table == table]

    @property
    def tables(self) -> list[str]:
        """The tables this result holds records of, in the study's order."""
        present = {r.table for r in self.rounds}
        return [t for t in TABLES if t in present]

    @functools.cached_property
    def summaries(self) -> dict[str, list[stats.ArmSummary]]:
        """Per table, one `stats.ArmSummary` per arm."""
        return {t: stats.summarise(self.table_rounds(t)) for t in self.tables}

    @functools.cached_property
    def effects(self) -> dict[str, list[stats.EffectEstimate]]:
        """Per table, its effects that the records allow (`stats.effects`)."""
        return {t: stats.effects(self.table_rounds(t), TABLES[t]) for t in self.tables}

    def to_json(self) -> str:
        """The result as JSON (summaries and effects included, for other readers)."""
        doc = {"source": self.source, "config": self.config}
        doc["summaries"] = {t: [asdict(s) for s in rows] for t, rows in self.summaries.items()}
        doc["effects"] = {t: [asdict(e) for e in rows] for t, rows in self.effects.items()}
        doc["rounds"] = [asdict(r) for r in self.rounds]
        return json.dumps(doc, indent=1, allow_nan=False)

    @classmethod
    def load(cls, path: str | Path) -> "Result":
        """Read a result written from `to_json`."""
        doc = json.loads(Path(path).read_text())
        return cls(doc["source"], doc["config"], [Round(**r) for r in doc["rounds"]])
