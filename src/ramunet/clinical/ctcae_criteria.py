"""CTCAE v5.0 lab-value grading criteria as data: cut-offs, multiples, baseline rules.

Each graded term is one ``LabTerm`` holding one of four rule shapes. The thresholds are the
published ones, written as decimal strings; the boundary convention is that of
clinical-rules.md §2.2: for decreasing labs "<A - B" means ``B <= value < A``; for increasing labs
">A - B" means ``A < value <= B``; a value equal to LLN/ULN is normal. Proteinuria states ">=" and
"<" and is read literally (§2.5).

References
----------
U.S. DHHS/NIH/NCI, CTCAE v5.0 (27 Nov 2017), CTCAE_v5.0.xlsx: Blood and lymphatic system
disorders (Anemia), Investigations (counts, liver tests, creatinine), Metabolism and nutrition
disorders (potassium, sodium), Renal and urinary disorders (Proteinuria), Vascular disorders
(Hypertension). clinical-rules.md §2.2-§2.6 and the ambiguity register §2.10.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ramunet.clinical.errors import UnknownTerm

D = Decimal


@dataclass(frozen=True)
class BelowLln:
    """A decreasing lab (clinical-rules.md §2.2: "<A - B" = B <= value < A).

    ``cuts`` lists, from the highest down, each grade's lowest value: ``(1.5, 1)`` means grade 1
    reaches down to 1.5 inclusive. Below the last cut the grade is ``floor``. Grade 1 starts
    strictly below LLN. ``cuts_by_unit`` maps a reporting unit to its cut-offs; a unit not listed
    is converted exactly to the analyte's canonical unit, whose cut-offs must be listed.
    """

    cuts_by_unit: tuple[tuple[str, tuple[tuple[Decimal, int], ...]], ...]
    floor: int

    def cuts(self, unit: str) -> tuple[tuple[Decimal, int], ...] | None:
        for known, cuts in self.cuts_by_unit:
            if known == unit:
                return cuts
        return None


@dataclass(frozen=True)
class AboveUln:
    """An increasing lab with absolute cut-offs (">A - B" = A < value <= B).

    Grade 1 is above ULN; ``cuts`` lists, from the lowest up, ``(A, grade)``: above A the grade is
    at least ``grade``. Cut-offs are in the analyte's canonical unit.
    """

    cuts: tuple[tuple[Decimal, int], ...]


@dataclass(frozen=True)
class AbnormalBaseline:
    """CTCAE v5.0 grading against an abnormal baseline (baseline > ULN), clinical-rules.md §2.4.

    Grade 1 starts at ``first`` x baseline (inclusive when ``first_inclusive``); grades 2..4
    start strictly above ``multiples[0..2]`` x baseline.
    """

    first: Decimal
    first_inclusive: bool
    multiples: tuple[Decimal, Decimal, Decimal]


@dataclass(frozen=True)
class TimesUln:
    """An increasing lab graded in multiples of ULN (grade g when value > multiples[g-1] x ULN).

    ``abnormal_baseline`` replaces the ULN multiples when the baseline is above ULN (liver tests).
    ``baseline_also`` lists ``(multiple, grade)`` criteria against any baseline, taken together
    with the ULN criteria (worst grade wins): creatinine.
    """

    multiples: tuple[Decimal, Decimal, Decimal, Decimal]
    abnormal_baseline: AbnormalBaseline | None = None
    baseline_also: tuple[tuple[Decimal, int], ...] = ()


@dataclass(frozen=True)
class Protein24h:
    """24-h urine protein (mg/24h): grade 1 >= ULN to < 1000; 2: 1000 to < 3500; 3: >= 3500."""

    cuts: tuple[tuple[Decimal, int], ...] = ((D(1000), 2), (D(3500), 3))


@dataclass(frozen=True)
class BloodPressure:
    """Adult hypertension from systolic and diastolic readings in mmHg (§2.6)."""

    systolic_cuts: tuple[tuple[Decimal, int], ...] = ((D(120), 1), (D(140), 2), (D(160), 3))
    diastolic_cuts: tuple[tuple[Decimal, int], ...] = ((D(80), 1), (D(90), 2), (D(100), 3))


Rule = BelowLln | AboveUln | TimesUln | Protein24h | BloodPressure


@dataclass(frozen=True)
class LabTerm:
    """A CTCAE v5.0 term graded from a value: its name, short label, analyte and rule.

    ``analyte`` is the code in ``ramunet.clinical.units`` (None for blood pressure);
    ``extra_units`` are units outside that table (the proteinuria dipstick, mmHg).
    """

    term: str
    label: str
    analyte: str | None
    rule: Rule
    aliases: tuple[str, ...] = ()
    extra_units: tuple[str, ...] = ()

    @property
    def needs_lln(self) -> bool:
        return isinstance(self.rule, BelowLln)

    @property
    def needs_uln(self) -> bool:
        return isinstance(self.rule, AboveUln | TimesUln | Protein24h)


def _counts(g1: str, g2: str, g3: str) -> BelowLln:
    # Investigations: "<LLN - g1; <g1 - g2; <g2 - g3; <g3" in 10^9/L
    return BelowLln((("10^9/L", ((D(g1), 1), (D(g2), 2), (D(g3), 3))),), floor=4)


_LIVER_AST_ALT = TimesUln(
    (D("1.0"), D("3.0"), D("5.0"), D("20.0")),
    AbnormalBaseline(D("1.5"), True, (D("3.0"), D("5.0"), D("20.0"))),
)

LAB_TERMS: tuple[LabTerm, ...] = (
    LabTerm(
        "Neutrophil count decreased",
        "ANC",
        "anc",
        _counts("1.5", "1.0", "0.5"),
        aliases=("neutropenia", "anc decreased"),
    ),
    LabTerm(
        "Platelet count decreased",
        "PLT",
        "platelets",
        _counts("75.0", "50.0", "25.0"),
        aliases=("thrombocytopenia",),
    ),
    LabTerm(
        "White blood cell decreased",
        "WBC",
        "wbc",
        _counts("3.0", "2.0", "1.0"),
        aliases=("leukopenia", "wbc decreased"),
    ),
    LabTerm(
        "Lymphocyte count decreased",
        "ALC",
        "lymphocytes",
        _counts("0.8", "0.5", "0.2"),
        aliases=("lymphopenia",),
    ),
    LabTerm(
        "Anemia",
        "Hb",
        "hemoglobin",
        # Blood and lymphatic system disorders: each unit's own cut-offs (register A-C2).
        BelowLln(
            (
                ("g/dL", ((D("10.0"), 1), (D("8.0"), 2))),
                ("g/L", ((D(100), 1), (D(80), 2))),
                ("mmol/L", ((D("6.2"), 1), (D("4.9"), 2))),
            ),
            floor=3,
        ),
        aliases=("anaemia",),
    ),
    LabTerm(
        "Blood bilirubin increased",
        "bilirubin",
        "bilirubin",
        TimesUln(
            (D("1.0"), D("1.5"), D("3.0"), D("10.0")),
            AbnormalBaseline(D("1.0"), False, (D("1.5"), D("3.0"), D("10.0"))),
        ),
        aliases=("bilirubin increased", "hyperbilirubinemia"),
    ),
    LabTerm(
        "Aspartate aminotransferase increased",
        "AST",
        "ast",
        _LIVER_AST_ALT,
        aliases=("ast increased",),
    ),
    LabTerm(
        "Alanine aminotransferase increased",
        "ALT",
        "alt",
        _LIVER_AST_ALT,
        aliases=("alt increased",),
    ),
    LabTerm(
        "Alkaline phosphatase increased",
        "ALP",
        "alp",
        TimesUln(
            (D("1.0"), D("2.5"), D("5.0"), D("20.0")),
            AbnormalBaseline(D("2.0"), True, (D("2.5"), D("5.0"), D("20.0"))),
        ),
        aliases=("alp increased",),
    ),
    LabTerm(
        "Creatinine increased",
        "creatinine",
        "creatinine",
        # ">1.5 - 3.0 x baseline" (grade 2) and ">3.0 x baseline" (grade 3) apply beside x ULN.
        TimesUln(
            (D("1.0"), D("1.5"), D("3.0"), D("6.0")),
            baseline_also=((D("1.5"), 2), (D("3.0"), 3)),
        ),
    ),
    LabTerm(
        "Proteinuria",
        "urine protein",
        "urine_protein_24h",
        Protein24h(),
        extra_units=("dipstick",),
    ),
    LabTerm("Hypertension", "BP", None, BloodPressure(), extra_units=("mmHg",)),
    LabTerm(
        "Hypokalemia",
        "K",
        "potassium",
        # Grade 2 ("symptomatic with <LLN - 3.0; intervention indicated") is clinical only.
        BelowLln((("mmol/L", ((D("3.0"), 1), (D("2.5"), 3))),), floor=4),
    ),
    LabTerm(
        "Hyperkalemia",
        "K",
        "potassium",
        AboveUln(((D("5.5"), 2), (D("6.0"), 3), (D("7.0"), 4))),
    ),
    LabTerm(
        "Hyponatremia",
        "Na",
        "sodium",
        # "125-129 asymptomatic" = grade 2; symptoms raise 125-129 to grade 3 (clinical).
        BelowLln((("mmol/L", ((D(130), 1), (D(125), 2), (D(120), 3))),), floor=4),
    ),
)


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


_BY_NAME: dict[str, LabTerm] = {
    _fold(name): spec for spec in LAB_TERMS for name in (spec.term, *spec.aliases)
}

GRADED_TERMS: tuple[str, ...] = tuple(sorted(spec.term for spec in LAB_TERMS))


def lab_term(term: object, field: str = "term") -> LabTerm:
    """The graded term of this CTCAE name or alias (case-insensitive), or ``UnknownTerm``."""
    if isinstance(term, str):
        spec = _BY_NAME.get(_fold(term))
        if spec is not None:
            return spec
    raise UnknownTerm(field, term, GRADED_TERMS)
