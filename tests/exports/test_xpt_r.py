"""Files written by ramunet.exports.xpt read back with R's foreign::read.xport.

R's ``foreign`` package is a recommended package shipped with Debian's ``r-base-core``; it
reads SAS transport v5 independently of readstat, including files with several members.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ramunet.exports.ibm370 import SasMissing
from ramunet.exports.xpt import write_xpt
from ramunet.exports.xpt_model import Dataset, Variable
from tests.exports.xpt_support import CREATED

pytestmark = pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript is not installed")

# Prints, per member: "member NAME ROWS", then per variable "var NAME|TYPE|LABEL|v1|v2|...",
# numbers with 17 significant digits (exact for doubles), NA for missing.
R_DUMP = r"""
library(foreign)
path <- commandArgs(trailingOnly = TRUE)[1]
info <- lookup.xport(path)
data <- read.xport(path)
if (is.data.frame(data)) { data <- setNames(list(data), names(info)) }
for (member in names(info)) {
  frame <- data[[member]]
  cat("member", member, nrow(frame), "\n")
  meta <- info[[member]]
  for (i in seq_along(meta$name)) {
    column <- frame[[meta$name[i]]]
    shown <- if (is.numeric(column)) {
      ifelse(is.na(column), "NA", sprintf("%.17g", column))
    } else column
    cat("var", paste(c(meta$name[i], meta$type[i], meta$label[i], shown), collapse = "|"), "\n")
  }
}
"""


def r_dump(path) -> list[str]:
    completed = subprocess.run(
        ["Rscript", "--vanilla", "-e", R_DUMP, str(path)],
        capture_output=True,
        check=True,
        env={"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
    )
    return [line.rstrip(" ") for line in completed.stdout.decode("utf-8").splitlines()]


def test_r_reads_values_labels_and_missing(tmp_path):
    variables = [
        Variable("USUBJID", "Unique Subject Identifier", "char"),
        Variable("AETERM", "Reported Term", "char", 20),
        Variable("AETOXGR", "Standard Toxicity Grade", "num"),
    ]
    rows = [
        ("RAMU-HAL-001", "Übelkeit", 2),
        ("RAMU-HAL-002", "", None),
        ("RAMU-MAR-017", "Fatigue", -0.1),
        ("RAMU-MAR-018", "Rash", SasMissing("A")),
    ]
    path = tmp_path / "ae.xpt"
    write_xpt(path, Dataset("AE", "Adverse Events", variables, rows), created=CREATED)
    assert r_dump(path) == [
        "member AE 4",
        "var USUBJID|character|Unique Subject Identifier|RAMU-HAL-001|RAMU-HAL-002|RAMU-MAR-017"
        "|RAMU-MAR-018",
        "var AETERM|character|Reported Term|Übelkeit||Fatigue|Rash",
        "var AETOXGR|numeric|Standard Toxicity Grade|2|NA|-0.10000000000000001|NA",
    ]


def test_r_reads_ibm_range_edges_exactly(tmp_path):
    values = [0.0, 2.0**-260, 7.2e75, -1e-78, 123456789.125]
    path = tmp_path / "n.xpt"
    rows = [(value,) for value in values]
    write_xpt(path, Dataset("N", "", [Variable("X", "x", "num")], rows), created=CREATED)
    dumped = r_dump(path)[1].split("|")[3:]
    assert [float(text) for text in dumped] == values


def test_r_reads_every_member_of_a_multi_member_file(tmp_path):
    dm = Dataset("DM", "Demographics", [Variable("AGE", "Age", "num")], [(64,), (51,)])
    ae = Dataset("AE", "Adverse Events", [Variable("AETERM", "Term", "char", 8)], [("Rash",)])
    path = tmp_path / "two.xpt"
    write_xpt(path, [dm, ae], created=CREATED)
    assert r_dump(path) == [
        "member DM 2",
        "var AGE|numeric|Age|64|51",
        "member AE 1",
        "var AETERM|character|Term|Rash",
    ]
