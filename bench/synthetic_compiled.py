"""Random compiled hearing documents, and the damage PDF extraction does to them.

`generate_consultation` makes consultations that look like the ones secretariats import: other
categories and questions than seed 004, up to a few hundred respondents, bokmål and nynorsk
text, long names that wrap, answers with only a scale value or only text, several paragraphs
and bullet lists. `perturb` damages the rendered text the way PDF extraction does (page numbers,
running headers, repeated "Svar" headers, bullets on their own lines, trailing spaces, names cut
by their scale value or pushed into their answer). The importer must read both back exactly.

Run as a script to time the importer on a large generated document:
    .venv/bin/python -m bench.synthetic_compiled
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Sequence

from exports.compiled_text import NAME_COLUMN, render_compiled_text
from synthesis.snapshot import (
    NORWEGIAN_AGREEMENT_SCALE,
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Scale,
    Sector,
)

CATEGORIES: tuple[Category, ...] = (
    Category("Kommune", Sector.PUBLIC),
    Category("Fylkeskommune", Sector.PUBLIC),
    Category("Statlig etat", Sector.PUBLIC),
    Category("Universitet / Høgskole", Sector.PUBLIC),
    Category("Avdeling ved forskningsinstitutt", Sector.PUBLIC),
    Category("Organisasjon", Sector.PRIVATE),
    Category("Interesseorganisasjon for barn og unge", Sector.PRIVATE),
    Category("Næringsliv", Sector.PRIVATE),
    Category("Annet", Sector.PRIVATE),
    Category("Annet", Sector.PUBLIC),
    Category("Privatperson", Sector.INDIVIDUAL),
    Category("Ungdom", Sector.INDIVIDUAL),
)
OTHER_SCALES: tuple[tuple[str, ...], ...] = (
    ("Meget nyttig", "Nyttig", "Noe nyttig", "Lite nyttig", "Ikke nyttig"),
    ("Svært viktig", "Viktig", "Noe viktig", "Lite viktig", "Ikke viktig"),
)
TITLES = (
    "Høring om tverrfaglig samarbeid for barn og unge",
    "Høyring om ny nasjonal strategi for tidleg innsats i skule og barnehage",
    "Forslag til endringer i forskrift om helsestasjons- og skolehelsetjenesten",
    "Kunnskapsgrunnlag for utsatte barn og unge 0-24",
)
QUESTION_TEXTS = (
    "Beskrivelse og vurdering av nåsituasjonen",
    "Har du forslag til konkrete mål som kan legges til?",
    "Kva meiner du om forslaget til organisering av tenestene?",
    "Har du forslag til tiltak for å nå disse målene?",
    "Korleis kan kommunane følgje opp tilrådingane i rapporten?",
    "Er det andre forhold departementet bør vurdere før saken avgjøres?",
    "Har du flere kommentarer til rapporten?",
    "Kor nyttig er rettleiaren for arbeidet i di verksemd?",
)
PLACES = (
    "Bergen",
    "Trondheim",
    "Stavanger",
    "Tromsø",
    "Bodø",
    "Hamar",
    "Lillehammer",
    "Ålesund",
    "Kristiansand",
    "Drammen",
    "Førde",
    "Molde",
    "Narvik",
    "Alta",
    "Askøy",
    "Voss",
    "Sogndal",
)
UNITS = ("kommunedirektørens fagstab", "oppvekstavdelinga", "helse og velferd", "barnevernet")
AREAS = ("oppvekst", "utdanning", "psykisk helse", "rusomsorg", "barnehage", "skulehelse")
ORGANISATIONS = (
    "Barneombudet",
    "Redd Barna",
    "Blå Kors",
    "Voksne for Barn",
    "Norsk Folkehjelp",
    "KS",
    "Landsforeningen for barnevernsbarn",
    "Forandringsfabrikken",
    "Kirkens Bymisjon",
    "Elevorganisasjonen",
    "Fagforbundet",
    "Sykepleierforbundet",
    "Unio",
    "Akademikerne",
)
FIRST_NAMES = (
    "Kari",
    "Ola",
    "Ingrid",
    "Per",
    "Siri",
    "Jon",
    "Aud",
    "Eirik",
    "Marte",
    "Håkon",
    "Nora",
    "Sindre",
    "Åse",
    "Øystein",
    "Liv",
    "Torbjørn",
)
MIDDLE_NAMES = ("Marie", "Johan", "Kristine", "Sverre", "Helene", "Andreas", "Merete R.", "Arne")
LAST_NAMES = (
    "Nordmann",
    "Hansen",
    "Johannessen",
    "Bakke",
    "Westbye",
    "Lunde",
    "Haugland",
    "Stabursvik",
    "Aasen",
    "Myklebust",
    "Solberg",
    "Kvalheim",
    "Solheim Midt",
)
# How a name continues a shorter respondent's name in the same category, as in seed 004
# ("Kompetansesenter rus" and "Kompetansesenter rus-Midt-Norge", "Bergen kommune" and
# "Bergen Kommune/etat for barn og familie").
HYPHEN_TAILS = ("-Midt-Norge", "-Nord", "-Øst", "-Vest")
SLASH_TAILS = ("/etat for barn og familie", "/helse og omsorg", "/PPT")
WORD_TAILS = ("Midt", "Nord", "avdeling Vest", "ungdomsråd", "og omegn")
# Share of respondents whose name is a prefix of another respondent's name, or extends one.
PREFIX_SHARE = 0.25
SENTENCES_NB = (
    "Vi støtter forslaget om å lovfeste en plikt til samarbeid mellom tjenestene.",
    "Rapporten gir en god beskrivelse av utfordringene i dagens tjenester.",
    "Det er viktig at barn og unge selv blir hørt når tjenestene skal utvikles.",
    "Kommunene trenger mer veiledning og faglig støtte for å lykkes med tiltakene.",
    "Ledere må få tid og ressurser til å følge opp implementeringen over flere år.",
    "Forslaget bør utredes nærmere før det settes i verk.",
    "Tiltakene må finansieres, ellers vil de ikke bli gjennomført i praksis.",
    "Samarbeid på tvers av sektorer forutsetter felles mål og et felles språk.",
    "Det mangler en vurdering av de økonomiske og administrative konsekvensene.",
    "Erfaringene fra 0-24-samarbeidet bør brukes i det videre arbeidet.",
)
SENTENCES_NN = (
    "Vi stiller oss bak forslaget om ei lovfesta plikt til samarbeid.",
    "Rapporten gjev eit godt bilete av korleis tenestene fungerer i dag.",
    "Det er viktig at born og unge sjølve får seie meininga si.",
    "Kommunane treng meir rettleiing for å lukkast med tiltaka.",
    "Leiarane må få tid til å følgje opp arbeidet over fleire år.",
    "Forslaget bør greiast ut nærare før det vert sett i verk.",
    "Tiltaka må finansierast, elles vert dei ikkje gjennomførte.",
    "Samarbeid på tvers av sektorar krev felles mål og eit felles språk.",
    "Det manglar ei vurdering av dei økonomiske konsekvensane.",
    "Røynslene frå arbeidet i regionane bør nyttast vidare.",
)
BULLET_INTROS = ("Vi vil peke på følgende:", "Vi vil særleg nemne:", "Våre viktigste innspill:")
BULLET_ITEMS = (
    "Felles kompetanseheving i alle ledd.",
    "Tverrfaglege team rundt kvart barn.",
    "Én koordinator for familien.",
    "Bedre digitale verktøy for samhandling på tvers av tjenestene i kommunen.",
    "Øyremerka midlar til oppfølging.",
)


def generate_consultation(
    seed: int,
    respondents: int | None = None,
    questions: int | None = None,
    prefix_share: float = PREFIX_SHARE,
) -> ConsultationSnapshot:
    """A random consultation, in the order its compiled document prints it.

    About `prefix_share` of the respondents are named after another respondent of the same
    category: a longer name continuing it ("Jon" and "Jon Arne Solheim Midt", "Redd Barna" and
    "Redd Barna-Nord") or a shorter one it continues. `prefix_share=0` gives the documents this
    generator made before it knew about such names.
    """
    rng = random.Random(seed)
    count = respondents if respondents is not None else rng.randint(5, 120)
    points = NORWEGIAN_AGREEMENT_SCALE if rng.random() < 0.7 else rng.choice(OTHER_SCALES)
    scale = Scale(points=points)
    categories = rng.sample(CATEGORIES, rng.randint(2, len(CATEGORIES)))
    question_list = _questions(rng, questions if questions is not None else rng.randint(2, 7))
    people = _respondents(rng, count, categories, prefix_share)
    answers = {key: {} for key, _, _ in people}
    for question in question_list:
        share = rng.uniform(0.35, 0.95)
        answering = [key for key, _, _ in people if rng.random() < share] or [people[0][0]]
        for key in answering:
            answers[key][question.code] = _answer(rng, question, scale)
    _ensure_scale_answer(rng, question_list, people, answers, scale)
    title = rng.choice(TITLES)
    return canonical_consultation(
        f"syntetisk-{seed}", title, scale, categories, question_list, people, answers
    )


def _questions(rng: random.Random, count: int) -> list[Question]:
    kinds = [QuestionKind.SCALE, QuestionKind.TEXT, QuestionKind.SCALE_TEXT]
    result: list[Question] = []
    main = 0
    while len(result) < count:
        main += 1
        codes = [str(main)]
        if rng.random() < 0.3:
            codes += [f"{main}.{letter}" for letter in "ab"[: rng.randint(1, 2)]]
        for code in codes[: count - len(result)]:
            kind = QuestionKind.SCALE_TEXT if not result else rng.choice(kinds)
            result.append(Question(code=code, text=rng.choice(QUESTION_TEXTS), kind=kind))
    return result


def _respondents(
    rng: random.Random, count: int, categories: Sequence[Category], prefix_share: float
) -> list[tuple[str, str, Category]]:
    people: list[tuple[str, str, Category]] = []
    taken: dict[str, list[str]] = {}
    attempts = 0
    while len(people) < count and attempts < 50 * count:
        attempts += 1
        category = rng.choice(categories)
        names = taken.setdefault(category.name, [])
        if prefix_share and names and rng.random() < prefix_share:
            name = _relative(rng, rng.choice(names), category)
            if name is None or name in names:
                continue
        else:
            name = _name(rng, category)
            if any(_word_prefix(name, other) or _word_prefix(other, name) for other in names):
                continue
        names.append(name)
        people.append((f"g{len(people)}", name, category))
    return people


def _word_prefix(short: str, long: str) -> bool:
    return long == short or long.startswith(short + " ")


def _relative(rng: random.Random, name: str, category: Category) -> str | None:
    """A name that `name` is a prefix of, or a prefix of `name` that is a name itself."""
    words = name.split(" ")
    if category.sector is Sector.INDIVIDUAL:
        if len(words) == 1:
            return f"{name} {rng.choice(MIDDLE_NAMES)} {rng.choice(LAST_NAMES)}"
        if rng.random() < 0.5:
            return words[0]  # "Jon" beside "Jon Arne Solheim Midt"
        return f"{name} {rng.choice(LAST_NAMES)}"
    head = name.split(",", 1)[0]
    shape = rng.random()
    if shape < 0.3 and len(head.split(" ")) > 1:
        return " ".join(head.split(" ")[: rng.randint(1, len(head.split(" ")) - 1)])
    if shape < 0.3:
        return None
    if not head[-1:].isalnum() or "-" in head or "/" in head:
        return None  # one continuation per name: no "Alta-Nord-Nord"
    if shape < 0.5:
        return head + rng.choice(HYPHEN_TAILS)
    if shape < 0.7:
        tail = rng.choice(SLASH_TAILS)
        # Seed 004 capitalises the continued word: "Bergen kommune" and "Bergen Kommune/etat …".
        first, _, last = head.rpartition(" ")
        if first and rng.random() < 0.3:
            return f"{first} {last[:1].upper()}{last[1:]}{tail}"
        return head + tail
    tail = rng.choice(WORD_TAILS)
    return None if tail in head else f"{head} {tail}"


def _name(rng: random.Random, category: Category) -> str:
    if category.sector is Sector.INDIVIDUAL:
        middle = f" {rng.choice(MIDDLE_NAMES)}" if rng.random() < 0.5 else ""
        return f"{rng.choice(FIRST_NAMES)}{middle} {rng.choice(LAST_NAMES)}"
    place = rng.choice(PLACES)
    shape = rng.random()
    if shape < 0.2:
        return f"{place} kommune"
    if shape < 0.6:
        return f"{rng.choice(ORGANISATIONS)} {place}"
    return (
        f"{place} kommune, {rng.choice(UNITS)} for {rng.choice(AREAS)} "
        f"og {rng.choice(AREAS)} (koordinert av {rng.choice(AREAS)})"
    )


def _answer(rng: random.Random, question: Question, scale: Scale) -> Answer:
    with_value = question.kind.has_scale and (
        question.kind is QuestionKind.SCALE or rng.random() < 0.75
    )
    with_text = question.kind.has_text and (
        question.kind is QuestionKind.TEXT or not with_value or rng.random() < 0.6
    )
    if with_value and rng.random() < 0.05:
        return Answer(question.code, dont_know=True, text=_text(rng) if with_text else None)
    value = rng.randrange(len(scale.points)) if with_value else None
    return Answer(question.code, value=value, text=_text(rng) if with_text else None)


def _ensure_scale_answer(
    rng: random.Random,
    question_list: list[Question],
    people: list[tuple[str, str, Category]],
    answers: dict[str, dict[str, Answer]],
    scale: Scale,
) -> None:
    """Every respondent gives at least one scale value, so its name is printed cleanly once."""
    scaled = [q for q in question_list if q.kind.has_scale]
    for key, _, _ in people:
        if any(a.value is not None or a.dont_know for a in answers[key].values()):
            continue
        question = rng.choice(scaled)
        text = _text(rng) if question.kind.has_text and rng.random() < 0.5 else None
        answers[key][question.code] = Answer(
            question.code, value=rng.randrange(len(scale.points)), text=text
        )


def _text(rng: random.Random) -> str:
    sentences = SENTENCES_NB if rng.random() < 0.6 else SENTENCES_NN
    paragraphs = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        if rng.random() < 0.15:
            items = rng.sample(BULLET_ITEMS, rng.randint(2, 4))
            paragraphs.append("\n".join([rng.choice(BULLET_INTROS), *(f"• {i}" for i in items)]))
        else:
            paragraphs.append(" ".join(rng.sample(sentences, rng.randint(1, 5))))
    return "\n\n".join(paragraphs)


def canonical_consultation(
    slug: str,
    title: str,
    scale: Scale,
    categories: list[Category],
    question_list: list[Question],
    people: list[tuple[str, str, Category]],
    answers: dict[str, dict[str, Answer]],
) -> ConsultationSnapshot:
    """Fix the kinds to what the answers show and order everything as the document prints it."""
    questions = []
    for question in question_list:
        given = [a[question.code] for a in answers.values() if question.code in a]
        has_scale = any(a.value is not None or a.dont_know for a in given)
        has_text = any(a.text for a in given)
        kind = (
            QuestionKind.SCALE_TEXT
            if has_scale and has_text
            else QuestionKind.SCALE
            if has_scale
            else QuestionKind.TEXT
        )
        questions.append(Question(question.code, question.text, kind))
    position = {q.code: n for n, q in enumerate(questions)}

    def first_seen(person: tuple[str, str, Category]) -> int:
        return min(position[code] for code in answers[person[0]])

    present = [c for c in categories if any(p[2] == c for p in people)]

    def category_first(category: Category) -> tuple[int, int]:
        seen = min(first_seen(p) for p in people if p[2] == category)
        return seen, categories.index(category)

    used = sorted(present, key=category_first)
    order = {category: n for n, category in enumerate(used)}
    ordered = sorted(
        enumerate(people), key=lambda item: (first_seen(item[1]), order[item[1][2]], item[0])
    )
    respondents = tuple(
        Respondent(
            key=f"r{number}",
            name=name,
            category=category.label,
            answers=dict(sorted(answers[key].items(), key=lambda kv: position[kv[0]])),
        )
        for number, (_, (key, name, category)) in enumerate(ordered, 1)
    )
    any_dont_know = any(a.dont_know for r in respondents for a in r.answers.values())
    dont_know = "Vet ikke" if any_dont_know else None
    stated = {
        q.code: len(respondents) - sum(1 for r in respondents if q.code in r.answers)
        for q in questions
    }
    return ConsultationSnapshot(
        slug=slug,
        title=title,
        scale=Scale(points=scale.points, dont_know=dont_know),
        categories=tuple(used),
        questions=tuple(questions),
        respondents=respondents,
        stated_not_answered=stated,
    )


def readable_part(snapshot: ConsultationSnapshot) -> tuple:
    """Everything a compiled document carries (the slug and dates it does not print): what
    an import must give back exactly."""
    return (
        snapshot.title,
        snapshot.scale,
        snapshot.categories,
        snapshot.questions,
        tuple((r.key, r.name, r.category, r.answers) for r in snapshot.respondents),
        snapshot.stated_not_answered,
    )


_PAGE_DEBRIS = ("{page}", "Side {page} av {pages}", "{title}", "Svar")


def perturb(
    text: str,
    rng: random.Random,
    labels: Sequence[str] = NORWEGIAN_AGREEMENT_SCALE,
    *,
    cut_names: bool = True,
) -> str:
    """Damage a rendered compiled document the way PDF text extraction does.

    Only damage a careful reader can undo is done: page breaks fall between blocks or inside
    answer text, never inside a category header; a name cut by its scale value or pushed into
    its answer is cut at most once per name, so a clean copy of it is left elsewhere.
    """
    lines = text.split("\n")
    title = lines[0]
    blocks = _name_blocks(lines, set(labels))
    printed = Counter(" ".join(lines[start:end]) for start, end in blocks)
    damaged = {name for name, count in printed.items() if count < 2}
    if cut_names:
        lines = _split_names_by_label(lines, rng, set(labels), damaged)
        lines = _push_names_into_text(lines, rng, set(labels), damaged)
    lines = _bullets(lines, rng)
    lines = _page_breaks(lines, rng, title)
    return "\n".join(line + " " * rng.choice((0, 0, 1, 2)) for line in lines)


def _is_name_line(line: str, labels: set[str]) -> bool:
    return 0 < len(line) <= NAME_COLUMN and line not in labels and not line.endswith(".")


def _name_blocks(lines: list[str], labels: set[str]) -> list[tuple[int, int]]:
    """(start, end) of runs of two or more name-like lines standing after a blank line."""
    blocks = []
    index = 1
    while index < len(lines):
        end = index
        while end < len(lines) and _is_name_line(lines[end], labels):
            end += 1
        if end - index >= 2 and not lines[index - 1] and end < len(lines) and not lines[end]:
            blocks.append((index, end))
            index = end
        index += 1
    return blocks


def _split_names_by_label(
    lines: list[str], rng: random.Random, labels: set[str], seen: set[str]
) -> list[str]:
    """A page break cuts a wrapped name: "Name 1", the label, then " Name 2" on the next page."""
    for start, end in reversed(_name_blocks(lines, labels)):
        name = " ".join(lines[start:end])
        has_label = end + 1 < len(lines) and lines[end + 1] in labels
        if not has_label or name in seen or rng.random() > 0.3:
            continue
        seen.add(name)
        cut = rng.randint(start + 1, end - 1)
        moved = lines[cut:end]
        label_line = end + 1
        rest = lines[label_line + 1 :]
        if rest and not rest[0]:
            moved_block = [" " + moved[0], *moved[1:]]
        else:
            moved_block = [" " + moved[0], *moved[1:], ""]
        lines = [*lines[:cut], "", lines[label_line], *moved_block, *rest]
    return lines


def _push_names_into_text(
    lines: list[str], rng: random.Random, labels: set[str], seen: set[str]
) -> list[str]:
    """The end of a wrapped name printed after the first lines of its answer, as in seed 004."""
    for start, end in reversed(_name_blocks(lines, labels)):
        name = " ".join(lines[start:end])
        text_start = end + 1
        paragraph_end = text_start
        while paragraph_end < len(lines) and len(lines[paragraph_end]) > NAME_COLUMN + 15:
            paragraph_end += 1
        if paragraph_end - text_start < 3 or name in seen or rng.random() > 0.3:
            continue
        seen.add(name)
        cut = rng.randint(start + 1, end - 1)
        moved = lines[cut:end]
        keep = rng.randint(1, 2)
        text = lines[text_start:paragraph_end]
        lines = [
            *lines[:cut],
            "",
            *text[:keep],
            " " + moved[0],
            *moved[1:],
            "",
            *text[keep:],
            *lines[paragraph_end:],
        ]
    return lines


def _bullets(lines: list[str], rng: random.Random) -> list[str]:
    result = []
    for line in lines:
        if line.startswith("• ") and rng.random() < 0.5:
            result += ["\uf0b7", line[2:]] if rng.random() < 0.5 else ["\uf0b7 " + line[2:]]
        else:
            result.append(line)
    return result


def _page_breaks(lines: list[str], rng: random.Random, title: str) -> list[str]:
    """Page debris before some lines that open a block or continue a long text line."""
    result: list[str] = []
    page = 1
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else "x" * 80
        opens_block = not previous or len(previous) > NAME_COLUMN + 15
        if index > 2 and line and opens_block and rng.random() < 0.08:
            page += 1
            if not previous and len(line) <= NAME_COLUMN and line[-1:].isalnum():
                result.pop()  # the blank line falls at the foot of the page
            pattern = rng.choice(_PAGE_DEBRIS)
            result.append(pattern.format(page=page, pages=page + 9, title=title))
            result.append(" " + line)
        else:
            result.append(line)
    return result


def main() -> None:
    """Time the importer on a few hundred respondents against rendering the same document."""
    from hearing.imports.compiled import parse_compiled

    snapshot = generate_consultation(1, respondents=300, questions=6)
    started = time.perf_counter()
    text = render_compiled_text(snapshot)
    rendered = time.perf_counter() - started
    started = time.perf_counter()
    document = parse_compiled(text)
    parsed = time.perf_counter() - started
    lines = text.count("\n")
    print(f"{len(snapshot.respondents)} respondents, {lines} lines")
    print(
        f"render {rendered:.3f} s, parse {parsed:.3f} s, parse/render ratio {parsed / rendered:.1f}"
    )
    print(f"problems: {len(document.problems)}")


if __name__ == "__main__":
    main()
