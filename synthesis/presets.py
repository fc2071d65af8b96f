"""Presets a secretariat starts from: answer scales, and respondent categories (a standard
Norwegian list, and the list of the BarnUnge21 hearing in seed 004)."""

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

# The standard list a new consultation starts from: the kinds of bodies a Norwegian public
# consultation goes to (as in the ministries' lists of "høringsinstanser"), each once, with
# its sector.
STANDARD_CATEGORY_PRESET: tuple[Category, ...] = (
    Category("Departement", Sector.PUBLIC),
    Category("Direktorat/etat", Sector.PUBLIC),
    Category("Statsforvalter", Sector.PUBLIC),
    Category("Fylkeskommune", Sector.PUBLIC),
    Category("Kommune", Sector.PUBLIC),
    Category("Universitet/høgskole", Sector.PUBLIC),
    Category("Forskningsinstitutt", Sector.PUBLIC),
    Category("Helseforetak", Sector.PUBLIC),
    Category("Annen offentlig virksomhet", Sector.PUBLIC),
    Category("Interesseorganisasjon", Sector.PRIVATE),
    Category("Fagforening", Sector.PRIVATE),
    Category("Næringsliv", Sector.PRIVATE),
    Category("Stiftelse", Sector.PRIVATE),
    Category("Annen privat virksomhet", Sector.PRIVATE),
    Category("Privatperson", Sector.INDIVIDUAL),
)

# The categories of the BarnUnge21 hearing (seed 004), in the order the document prints them,
# quirks included ("Stiftelser" private beside "Stiftelse" public, "Andre" beside "Annet"), so
# a consultation compiled like that one can be reproduced exactly.
BARNUNGE21_CATEGORY_PRESET: tuple[Category, ...] = (
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
# The name the seed-004 list had before there was a standard list; the demo, the tests and the
# benchmarks build seed-004-like consultations with it.
NORWEGIAN_CATEGORY_PRESET = BARNUNGE21_CATEGORY_PRESET

CATEGORY_PRESETS: dict[str, tuple[Category, ...]] = {
    "standard": STANDARD_CATEGORY_PRESET,
    "barnunge21": BARNUNGE21_CATEGORY_PRESET,
}
