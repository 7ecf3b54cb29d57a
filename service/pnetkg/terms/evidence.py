"""The evidence scale: Oxford CEBM 2011 levels for treatment benefit, by study design.

The derivation of each claim's level is the build's (compile/evidence.py); the
scale itself is a name table the pages show too.
"""

LEVEL = {
    "systematic-review": 1,
    "randomised-controlled-trial": 2,
    "non-randomised-controlled-trial": 3,
    "prospective-cohort": 3,
    "retrospective-cohort": 3,
    "single-arm-trial": 4,
    "case-series": 4,
    "case-report": 4,
    "narrative-review": 5,
    "guideline": 5,
    "preclinical-cell-line": 5,
    "preclinical-animal": 5,
    "mechanistic-reasoning": 5,
}
LEVEL_MEANING = {
    1: "systematic review of randomised trials",
    2: "randomised trial",
    3: "non-randomised controlled cohort or follow-up study",
    4: "case series, case-control or historically controlled study, or case report",
    5: "mechanism-based reasoning or expert opinion",
}
