"""What the study is: its architectures, its two tables with their arms and effects, and the
settings each arm trains with. Every other module of `proj1` reads the study from here.

* An **architecture** is a network of `proj1.models` with what it is: whether one digit
  encoder serves both images (sharing), whether digit-class losses supervise it (aux), and
  its comparison head.
* An **arm** is an architecture trained with given settings; a **table** is a set of arms
  trained on the same rounds, and the **effects** it measures: paired differences between
  two of its arms, each in a declared family (Holm's correction runs within a family).
* The two tables ask two questions. `best`: what each design buys when every network gets
  its own tuned settings (the arms of an effect may differ in learning rate, dropout, ...).
  `controlled`: the pair networks of the 2x2 design and both sharing controls trained with
  one configuration chosen for the whole family, so that each effect changes only the
  factor it names.
* What an arm is told: the comparison target always; the digit classes when it has an
  auxiliary loss; the *tie bit* (whether the two digits are equal) when it trains with the
  swap augmentation, whose swapped targets are recomputed from the classes (a tie stays 1).
  The swap also shows each image in both positions; in this augmentation the two come
  together (a swapped tie needs the tie bit to be labelled), so the `swap` effects measure
  them together.
"""

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from torch import nn

from proj1.models import CNN, MLP, PairNet

TUNED = Path(__file__).with_name("tuned.json")  # written by `python -m proj1.tuning`

SHARED_HIDDEN = 460  # one encoder: 68.8k parameters
SPLIT_HIDDEN = 210  # two encoders of 34.0k each: the same budget


@dataclass(frozen=True)
class Architecture:
    """A network of the study: its factory and what it is."""

    name: str
    factory: Callable[..., nn.Module]
    what: str  # one line, for tables and reports
    shared: bool | None  # one encoder for both images; None: no digit encoder (mlp, cnn)
    aux: bool  # trained with digit-class losses (it sees the classes)
    head: str  # "end to end" (no digit encoder), "learned" (an MLP on 20 scores), "exact"


def _pair(name, what, *, shared, aux, hidden, exact=False, **encoder):
    factory = partial(PairNet, shared=shared, aux=aux, hidden=hidden, exact=exact, **encoder)
    head = "exact" if exact else "learned"
    return Architecture(name, factory, what, shared, aux, head)


ARCHITECTURES: dict[str, Architecture] = {
    a.name: a
    for a in (
        Architecture("mlp", MLP, "the flat pair through fully connected layers", None, False,
                     "end to end"),
        Architecture("cnn", CNN, "the pair as a two-channel image, a convnet", None, False,
                     "end to end"),
        _pair("split", "two digit encoders, 210 hidden units (not 460): the budget of `siamese`",
              shared=False, aux=False, hidden=SPLIT_HIDDEN),
        _pair("split_aux", "`split` + digit-class losses", shared=False, aux=True,
              hidden=SPLIT_HIDDEN),
        _pair("split_wide", "two digit encoders of the siamese size: twice the parameters",
              shared=False, aux=False, hidden=SHARED_HIDDEN),
        _pair("split_wide_aux", "`split_wide` + digit-class losses", shared=False, aux=True,
              hidden=SHARED_HIDDEN),
        _pair("siamese", "one digit encoder for both images (weight sharing)", shared=True,
              aux=False, hidden=SHARED_HIDDEN),
        _pair("siamese_aux", "`siamese` + digit-class losses", shared=True, aux=True,
              hidden=SHARED_HIDDEN),
        # beyond the 2x2 design: P(a <= b) computed exactly from the two digit distributions
        _pair("siamese_exact", "`siamese_aux` with P(first <= second) computed exactly",
              shared=True, aux=True, hidden=SHARED_HIDDEN, exact=True),
        # batch norm after each pooling and 32/64 channels: on 10 validation rounds
        # 2.20 % against 2.45 % for 24/48 channels and 300 hidden units, in the same time
        _pair("siamese_exact_bn",
              "`siamese_exact` with batch norm, 32/64 channels (not 16/32), 200 hidden units",
              shared=True, aux=True, hidden=200, exact=True, channels=(32, 64), bn=True),
    )
}  # fmt: skip


def build(arch: str, **options) -> nn.Module:
    """A freshly initialised network by architecture name (from torch's global RNG).

    `options` go to the factory: `dropout` for every network, `softmax` for a learned head.
    """
    if arch not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {arch!r}; choose from {', '.join(ARCHITECTURES)}")
    return ARCHITECTURES[arch].factory(**options)


@dataclass(frozen=True)
class Arm:
    """An architecture trained with its table's settings, plus `swap` when forced on."""

    name: str
    network: str  # a key of ARCHITECTURES
    swap: bool | None = None  # None: as the table's settings say

    @property
    def architecture(self) -> Architecture:
        return ARCHITECTURES[self.network]


PRIMARY, SECONDARY = "primary", "secondary"
FAMILIES = {
    PRIMARY: "sharing under both controls, the auxiliary loss for both encoders",
    SECONDARY: "the extras",
}


@dataclass(frozen=True)
class Effect:
    """What arm `with_` gains over arm `without`, round by round, and the question it answers."""

    name: str
    without: str
    with_: str
    family: str  # PRIMARY or SECONDARY: Holm's correction runs within a family
    question: str


SHARING_QUESTIONS = {
    "equal budget": "at the same parameter budget, is one shared encoder better than two "
    "narrower ones?",
    "equal encoder": "with encoders of the same size, does one encoder trained on both images "
    "beat two trained on one each?",
}
AUX_QUESTION = "do the digit classes, as a second loss, help the comparison?"
PRIMARY_EFFECTS = (
    Effect("sharing, no aux, equal budget", "split", "siamese", PRIMARY,
           SHARING_QUESTIONS["equal budget"]),
    Effect("sharing, aux, equal budget", "split_aux", "siamese_aux", PRIMARY,
           SHARING_QUESTIONS["equal budget"]),
    Effect("sharing, no aux, equal encoder", "split_wide", "siamese", PRIMARY,
           SHARING_QUESTIONS["equal encoder"]),
    Effect("sharing, aux, equal encoder", "split_wide_aux", "siamese_aux", PRIMARY,
           SHARING_QUESTIONS["equal encoder"]),
    Effect("aux loss, split", "split", "split_aux", PRIMARY, AUX_QUESTION),
    Effect("aux loss, siamese", "siamese", "siamese_aux", PRIMARY, AUX_QUESTION),
)  # fmt: skip
TIE_QUESTION = "what does the swap augmentation (mirrored pairs, labelled with the tie bit) buy a "
TIE_QUESTION += "network trained without the digit classes?"


@dataclass(frozen=True)
class Table:
    """Arms trained on the same rounds, the effects measured between them, and its question."""

    name: str
    title: str
    question: str
    arms: tuple[Arm, ...]
    effects: tuple[Effect, ...]

    def arm(self, name: str) -> Arm:
        """The arm called `name`; ValueError naming the table's arms when it has none."""
        for arm in self.arms:
            if arm.name == name:
                return arm
        arms = ", ".join(a.name for a in self.arms)
        raise ValueError(f"table {self.name!r} has no arm {name!r}; its arms: {arms}")


FAMILY = ("split", "split_aux", "split_wide", "split_wide_aux", "siamese", "siamese_aux")
BEST = Table(
    "best",
    "each architecture at its best",
    "what does a design buy when each network gets its own tuned settings?",
    tuple(Arm(name, name) for name in ("mlp", "cnn", *FAMILY, "siamese_exact", "siamese_exact_bn")),
    (
        *PRIMARY_EFFECTS,
        Effect("exact head", "siamese_aux", "siamese_exact", SECONDARY,
               "is P(first <= second) computed from the digit distributions better than a "
               "learned head?"),
        Effect("batch norm layout", "siamese_exact", "siamese_exact_bn", SECONDARY,
               "does a layout with batch norm, wider convolutions and a narrower hidden "
               "layer help the exact head's encoder?"),
    ),
)  # fmt: skip
CONTROLLED = Table(
    "controlled",
    "one configuration for the family",
    "what does weight sharing, or the auxiliary loss, buy with every other setting equal?",
    (
        *(Arm(name, name, swap=False) for name in FAMILY),
        Arm("split_swap", "split", swap=True),
        Arm("siamese_swap", "siamese", swap=True),
    ),
    (
        *PRIMARY_EFFECTS,
        Effect("swap, split", "split", "split_swap", SECONDARY, TIE_QUESTION),
        Effect("swap, siamese", "siamese", "siamese_swap", SECONDARY, TIE_QUESTION),
    ),
)
TABLES = {t.name: t for t in (BEST, CONTROLLED)}


MODEL_KNOBS = ("dropout", "softmax")  # options of the network's factory; the rest go to training


def split_options(config: dict) -> tuple[dict, dict]:
    """(options for `build`, options for `training.train`) of a configuration."""
    model = {k: v for k, v in config.items() if k in MODEL_KNOBS}
    return model, {k: v for k, v in config.items() if k not in MODEL_KNOBS}


def supervision(arm: Arm, settings: dict) -> str:
    """What `arm` is told when trained with `settings`: target, tie bit, digit classes."""
    if arm.architecture.aux:
        return "target + digit classes"
    return "target + tie bit" if settings.get("swap") else "target"


def tuned_document() -> dict:
    """The content of `tuned.json`: {"protocol", "best": {arch: ...}, "controlled": {...}}."""
    return _tuned()


def reload_tuned() -> None:
    """Read `tuned.json` again at the next use (after the tuning rewrote it)."""
    _tuned.cache_clear()


@functools.cache
def _tuned() -> dict:
    return json.loads(TUNED.read_text()) if TUNED.exists() else {}


def settings(table: str, arm: str, chosen: dict | None = None) -> dict:
    """The settings `arm` of `table` trains with: its tuned ones, or those of `chosen` (a
    configuration under evaluation, as the tuning passes); {} where nothing was tuned.

    `best`: the architecture's own choice. `controlled`: the family's one choice, without
    the knobs the architecture lacks (the head's softmax without a learned head, the
    auxiliary weight without an auxiliary loss). Then the arm's own swap, where it has one.
    """
    the_arm = TABLES[table].arm(arm)
    architecture = the_arm.architecture
    if chosen is not None:
        config = dict(chosen)
    elif table == BEST.name:
        config = dict(_tuned().get("best", {}).get(architecture.name, {}).get("chosen", {}))
    else:
        config = dict(_tuned().get("controlled", {}).get("chosen", {}))
    if architecture.head != "learned":
        config.pop("softmax", None)
    if not architecture.aux:
        config.pop("aux_weight", None)
    if the_arm.swap is not None:
        config["swap"] = the_arm.swap
    return config


def arm_names(tables) -> list[str]:
    """Every arm name of `tables` (names of `TABLES`), each once, in the tables' order."""
    return list(dict.fromkeys(a.name for t in tables for a in TABLES[t].arms))
