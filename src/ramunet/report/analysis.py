"""``analyse(dataset) -> ReportResults``: every number of the report, from the dataset alone.

Pure: the dataset's rows in, ``ramunet.stats`` results and formatted tables out. The analysis
set of efficacy and safety is every registered patient with at least one dose
(PROTOCOL-NOTES.md "Endpoints"); the primary endpoint is tested against the A'Hern design
(H0 p <= 0.60; success if >= 33 of 45).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ramunet.report.analysis_efficacy import (
    TumourCourse,
    analyse_primary,
    analyse_response,
    primary_table,
    response_table,
    survival_fit,
    survival_table,
    tumour_course,
)
from ramunet.report.analysis_population import (
    characteristics_table,
    consort_counts,
    exposure_table,
    screening_table,
    treated,
)
from ramunet.report.analysis_safety import (
    analyse_toxicity,
    sae_rows,
    sae_table,
    toxicity_rows_table,
)
from ramunet.report.analysis_secondary import (
    BiomarkerTest,
    CgaCourse,
    QolResult,
    analyse_biomarkers,
    analyse_cga,
    analyse_qol,
    analyse_recruitment,
    biomarker_table,
    cga_table,
    qol_table,
    recruitment_table,
)
from ramunet.report.dataset import TrialDataset
from ramunet.report.figures.consort import ConsortCounts
from ramunet.report.figures.toxicity import WorstGradeCounts
from ramunet.report.tables import Table
from ramunet.stats.binomial import PrimaryAnalysis
from ramunet.stats.recruitment import RecruitmentProjection
from ramunet.stats.response import ResponseRates
from ramunet.stats.survival import KaplanMeierResult
from ramunet.stats.toxicity import ToxicityTable


@dataclass(frozen=True)
class ReportResults:
    """The report's results: stats objects for the figures, formatted tables for the text."""

    n_registered: int
    n_treated: int
    locked: bool
    data_cutoff: dt.date | None
    consort: ConsortCounts
    primary: PrimaryAnalysis | None
    response_confirmed: ResponseRates | None
    response_unconfirmed: ResponseRates | None
    course: TumourCourse
    pfs: KaplanMeierResult | None
    os: KaplanMeierResult | None
    toxicity: ToxicityTable
    toxicity_counts: WorstGradeCounts | None
    sae: tuple[tuple[str, ...], ...]
    cga: CgaCourse
    qol: QolResult
    biomarkers: tuple[BiomarkerTest, ...]
    recruitment: RecruitmentProjection | None
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table:
        """The table with ``key`` (``KeyError`` if none)."""
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def analyse(dataset: TrialDataset) -> ReportResults:
    """Compute every result of the report from ``dataset``.

    Parameters
    ----------
    dataset
        From ``ramunet.edc.reporting.dataset.load_dataset`` (or built by hand).

    Returns
    -------
    ReportResults
        The same dataset always gives equal results and byte-identical tables.
    """
    analysis_set = treated(dataset.patients)
    codes = {p.code for p in analysis_set}
    endpoints = [row for row in dataset.endpoints if row.patient in codes]
    best = {row.patient: row for row in endpoints}
    confirmed = analyse_response(
        [best[c].best_response_confirmed if c in best else "NE" for c in sorted(codes)]
    )
    unconfirmed = analyse_response(
        [best[c].best_response if c in best else "NE" for c in sorted(codes)]
    )
    primary = analyse_primary(analysis_set, endpoints)
    pfs = survival_fit(endpoints, codes, "pfs")
    os = survival_fit(endpoints, codes, "os")
    toxicity, counts = analyse_toxicity(analysis_set, dataset.adverse_events, dataset.lab_grades)
    sae = tuple(sae_rows(analysis_set, dataset.adverse_events))
    cga = analyse_cga(analysis_set, dataset.cga, endpoints)
    qol = analyse_qol(analysis_set, dataset.qlq)
    biomarkers = analyse_biomarkers(analysis_set, dataset.biomarkers, endpoints)
    recruitment = analyse_recruitment(dataset.patients, dataset.centres, dataset.data_cutoff)
    tables = (
        screening_table(dataset),
        characteristics_table(analysis_set),
        exposure_table(analysis_set, endpoints),
        primary_table(primary),
        response_table(confirmed, unconfirmed),
        survival_table(pfs, os),
        toxicity_rows_table(toxicity),
        sae_table(sae),
        cga_table(cga),
        qol_table(qol),
        biomarker_table(biomarkers),
        recruitment_table(recruitment, dataset.centres),
    )
    return ReportResults(
        n_registered=len(dataset.patients),
        n_treated=len(analysis_set),
        locked=dataset.locked,
        data_cutoff=dataset.data_cutoff,
        consort=consort_counts(dataset),
        primary=primary,
        response_confirmed=confirmed,
        response_unconfirmed=unconfirmed,
        course=tumour_course(analysis_set, endpoints, dataset.tumour),
        pfs=pfs,
        os=os,
        toxicity=toxicity,
        toxicity_counts=counts,
        sae=sae,
        cga=cga,
        qol=qol,
        biomarkers=biomarkers,
        recruitment=recruitment,
        tables=tables,
    )
