"""Presets a secretariat starts from: answer scales and the respondent categories of seed 004."""

from __future__ import annotations

from synthesis.snapshot import DONT_KNOW_LABEL, NORWEGIAN_AGREEMENT_SCALE, Category, Sector

SCALE_PRESETS: dict[str, tuple[str, ...]] = {
    "agreement": NORWEGIAN_AGREEMENT_SCALE,
    "usefulness": (
        "Meget nyttig",
        "Nyttig",
        "Verken nyttig eller unyttig",
        "Unyttig",
        "Meget unyttig",
    ),
}

# English renderings, so files written in English map onto the same scale points.
ENGLISH_SCALE_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "agreement": (
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
    ),
    "usefulness": (
        "Very useful",
        "Useful",
        "Neither useful nor useless",
        "Useless",
        "Very useless",
    ),
}
ENGLISH_DONT_KNOW = "Don't know"
DEFAULT_DONT_KNOW = DONT_KNOW_LABEL

# The categories of the BarnUnge21 hearing (seed 004), in the order the document prints them.
NORWEGIAN_CATEGORY_PRESET: tuple[Category, ...] = (
    Category("Universitet / Høgskole", Sector.PUBLIC),
    Category("Forskningsinstitutt", Sector.PUBLIC),
    Category("Avdeling ved forskningsinstitutt", Sector.PUBLIC),
    Category("Forvaltning", Sector.PUBLIC),
    Category("Organisasjon", Sector.PRIVATE),
    Category("Andre", Sector.PUBLIC),
    Category("Privatperson", Sector.INDIVIDUAL),
    Category("Stiftelser", Sector.PRIVATE),
    Category("Stiftelse", Sector.PUBLIC),
    Category("Annet", Sector.PRIVATE),
    Category("Annet", Sector.PUBLIC),
)
