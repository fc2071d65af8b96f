"""Letters registered in bulk (`hearing import-letters`, the upload page): each readable file
one response awaiting review, the others listed with their reason; passages filed under the
questions they answer by number; nothing counted until confirmed; then their text under the
right questions on the reading page, in the synthesis snapshot and in the long-format export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from hearing.extensions import db
from hearing.letters.extract import ocr_available
from hearing.models import Attachment, Consultation, Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.services import letters
from hearing.services.snapshots import snapshot_of
from tests.letter_cases import (
    EXE,
    answer_texts,
    invite_helsedirektoratet,
    letter_files,
    letter_named,
    write_folder,
    zip_of,
)
from tests.respond_support import category_id, make_consultation

needs_tesseract = pytest.mark.skipif(
    not ocr_available(), reason="needs Tesseract with Norwegian (tesseract-ocr-nor)"
)


@pytest.fixture()
def consultation(app) -> Consultation:
    consultation = make_consultation()
    invite_helsedirektoratet(consultation)
    return consultation


def _import(runner: FlaskCliRunner, path: Path, *args: str):
    return runner.invoke(args=["import-letters", str(path), "--slug", "skolemat", *args])


def test_a_folder_of_letters_waits_for_review_and_counts_nowhere(
    runner: FlaskCliRunner, consultation: Consultation, tmp_path: Path
) -> None:
    result = _import(runner, write_folder(tmp_path / "brev"))
    assert result.exit_code == 0, result.output
    assert "4 brev registrert, 0 bekreftet, 4 venter på gjennomgang, 1 avvist." in result.output
    assert "Avvist: virus.pdf: Filen er ikke et brev som kan leses" in result.output
    statuses = db.session.scalars(
        select(Submission.status).where(Submission.consultation_id == consultation.id)
    ).all()
    assert statuses == [SubmissionStatus.REVIEW] * 4
    assert snapshot_of(consultation).respondents == ()  # not in any tally or synthesis

    helsedir, letter = letter_named(consultation, "helsedirektoratet.docx")
    assert letter.kind == "docx" and letter.is_letter
    assert helsedir.respondent_name == "Helsedirektoratet"
    assert helsedir.category.label == "Forvaltning (Offentlig)"  # from the høringsliste
    assert helsedir.consent == "named"
    texts = answer_texts(helsedir)
    assert texts["2"] == "Vi støtter målene om sunn skolemat for alle elever."
    assert texts["3"] == "Det viktigste er at maten er gratis og sunn."
    bergen, _ = letter_named(consultation, "bergen.pdf")
    assert bergen.category_id is None  # not on the list: the secretariat chooses
    assert answer_texts(bergen) == {"2": "Kommunen er enig i målene, men savner finansiering."}
    private, odt = letter_named(consultation, "privat.odt")
    assert odt.kind == "odt"
    assert answer_texts(private)["3"] == "Det viktigste er at alle barn får et varmt måltid."


def test_yes_confirms_only_letters_whose_sender_and_category_are_known(
    runner: FlaskCliRunner, consultation: Consultation, tmp_path: Path
) -> None:
    result = _import(runner, write_folder(tmp_path / "brev"), "--yes")
    assert result.exit_code == 0, result.output
    assert "4 brev registrert, 2 bekreftet, 2 venter på gjennomgang, 1 avvist." in result.output
    assert "/admin/consultations/skolemat/letters" in result.output
    respondent, private = snapshot_of(consultation).respondents
    assert respondent.name == "Helsedirektoratet"
    assert (private.name, private.category) == ("Ola Nordmann", "Privatperson (Enkeltperson)")
    assert private.consent == "anonymous"  # a private person's name is not published unasked
    assert respondent.answers["2"].text == "Vi støtter målene om sunn skolemat for alle elever."
    assert respondent.answers["2"].value is None  # a letter states no position unless set
    assert respondent.answers["3"].text == "Det viktigste er at maten er gratis og sunn."


def test_the_same_letters_again_are_found_not_doubled(
    runner: FlaskCliRunner, consultation: Consultation, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path / "brev")
    assert _import(runner, folder).exit_code == 0
    again = _import(runner, folder, "--yes")
    assert again.exit_code == 0, again.output
    assert "Fantes fra før: helsedirektoratet.docx" in again.output
    count = db.session.scalar(select(func.count(Submission.id)))
    assert count == 4
    # --yes confirms what is known among the letters already waiting too.
    assert len(snapshot_of(consultation).respondents) == 2


def test_a_zip_of_letters_with_unsafe_members(
    runner: FlaskCliRunner, consultation: Consultation, tmp_path: Path
) -> None:
    files = letter_files()
    members = {
        "brev/helsedirektoratet.docx": files["helsedirektoratet.docx"],
        "brev/bergen.pdf": files["bergen.pdf"],
        "../utenfor.pdf": files["bergen.pdf"],
        "indre.zip": zip_of({"a.pdf": files["bergen.pdf"]}),
        "__MACOSX/brev/._bergen.pdf": b"junk",
        "virus.pdf": EXE,
    }
    archive = tmp_path / "brev.zip"
    archive.write_bytes(zip_of(members))
    result = _import(runner, archive)
    assert result.exit_code == 0, result.output
    assert "2 brev registrert" in result.output
    assert "Avvist: ../utenfor.pdf: Filnavnet peker ut av zip-filen" in result.output
    assert "Avvist: indre.zip: En zip-fil inni zip-filen blir ikke åpnet" in result.output
    assert "Avvist: virus.pdf:" in result.output
    assert "MACOSX" not in result.output
    helsedir, _ = letter_named(consultation, "helsedirektoratet.docx")
    assert answer_texts(helsedir)["3"] == "Det viktigste er at maten er gratis og sunn."


def test_a_zip_with_too_many_members_is_refused_whole(
    app, runner: FlaskCliRunner, consultation: Consultation, tmp_path: Path
) -> None:
    app.config["LETTER_BATCH_MAX_FILES"] = 2
    archive = tmp_path / "mange.zip"
    pdf = letter_files()["bergen.pdf"]
    archive.write_bytes(zip_of({f"{n}.pdf": pdf for n in range(3)}))
    result = _import(runner, archive)
    assert result.exit_code != 0
    assert "Det er 3 filer her; høyst 2 kan registreres på én gang." in result.output
    assert db.session.scalar(select(func.count(Submission.id))) == 0


def test_an_unknown_consultation_is_refused(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = _import(runner, write_folder(tmp_path / "brev"))
    assert result.exit_code != 0
    assert "Fant ingen høring med adressen «skolemat»." in result.output


@needs_tesseract
def test_a_scanned_letter_is_read_with_text_recognition(
    runner: FlaskCliRunner, consultation: Consultation, tmp_path: Path
) -> None:
    assert _import(runner, write_folder(tmp_path / "brev")).exit_code == 0
    stavanger, letter = letter_named(consultation, "stavanger-skannet.pdf")
    assert letter.ocr_pages == 1 and not letter.needs_text
    assert "ocr_used" in letter.notes
    assert "spiser sammen" in answer_texts(stavanger)["3"]


def test_without_text_recognition_a_scan_is_kept_and_needs_text(
    app, runner: FlaskCliRunner, consultation: Consultation, tmp_path: Path
) -> None:
    app.config["IMPORT_MAX_OCR_PAGES"] = 0  # as on a machine without Tesseract
    result = _import(runner, write_folder(tmp_path / "brev"))
    assert "stavanger-skannet.pdf: ukjent avsender; ingen tekst under spørsmål; trenger tekst" in (
        result.output
    )
    _, letter = letter_named(consultation, "stavanger-skannet.pdf")
    assert letter.needs_text and letter.text == ""
    assert letter.data[:5] == b"%PDF-"  # the file is kept


def _texts_in_long_format(runner: FlaskCliRunner, tmp_path: Path) -> dict[tuple[str, str], str]:
    output = tmp_path / "svar.csv"
    result = runner.invoke(
        args=[
            "export",
            "skolemat",
            "--format",
            "csv",
            "--output",
            str(output),
            "--audience",
            "internal",
        ]
    )
    assert result.exit_code == 0, result.output
    rows = csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig")), delimiter=";")
    return {(row["respondent"], row["question"]): row["text"] for row in rows}


def test_confirmed_letters_text_is_read_searched_analysed_and_exported_under_its_questions(
    runner: FlaskCliRunner,
    admin_client: FlaskClient,
    consultation: Consultation,
    tmp_path: Path,
) -> None:
    assert _import(runner, write_folder(tmp_path / "brev"), "--yes").exit_code == 0
    helsedir, _ = letter_named(consultation, "helsedirektoratet.docx")
    page = admin_client.get(f"/admin/consultations/skolemat/submissions/{helsedir.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index("Er du enig i målene?") < html.index("Vi støtter målene om sunn skolemat")
    assert html.index("Hva er viktigst for deg?") < html.index("maten er gratis og sunn")
    assert "helsedirektoratet.docx" in html  # the file, to download

    found = admin_client.get("/admin/consultations/skolemat/submissions?q=skolemat")
    assert "Helsedirektoratet" in found.get_data(as_text=True)
    waiting = admin_client.get("/admin/consultations/skolemat/submissions?q=finansiering")
    assert "Bergen kommune" not in waiting.get_data(as_text=True)  # awaiting review

    texts = _texts_in_long_format(runner, tmp_path)
    assert texts[("Helsedirektoratet", "2")] == (
        "Vi støtter målene om sunn skolemat for alle elever."
    )
    assert texts[("Helsedirektoratet", "3")] == "Det viktigste er at maten er gratis og sunn."
    assert not any(name == "Bergen kommune" for name, _ in texts)


def test_the_upload_page_registers_files_and_a_zip_and_lists_what_it_refused(
    admin_client: FlaskClient, consultation: Consultation
) -> None:
    files = letter_files()
    response = admin_client.post(
        "/admin/consultations/skolemat/letters",
        data={
            "files": [
                (io.BytesIO(files["bergen.pdf"]), "bergen.docx"),  # a PDF by another name
                (io.BytesIO(EXE), "program.pdf"),
                (
                    io.BytesIO(
                        zip_of(
                            {
                                "helsedirektoratet.docx": files["helsedirektoratet.docx"],
                                "privat.odt": files["privat.odt"],
                            }
                        )
                    ),
                    "brev.zip",
                ),
            ]
        },
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "3 brev er registrert" in html
    assert "program.pdf" in html and "Filen er ikke et brev som kan leses" in html
    kinds = dict(db.session.execute(select(Attachment.filename, Attachment.kind)).all())
    assert kinds == {"bergen.docx": "pdf", "helsedirektoratet.docx": "docx", "privat.odt": "odt"}
    listing = admin_client.get("/admin/consultations/skolemat/letters").get_data(as_text=True)
    assert "3 brev venter på gjennomgang." in listing
    assert "Helsedirektoratet" in listing


def test_the_upload_page_without_files_says_so(
    admin_client: FlaskClient, consultation: Consultation
) -> None:
    response = admin_client.post("/admin/consultations/skolemat/letters", data={})
    assert response.status_code == 422
    assert "Velg minst én fil." in response.get_data(as_text=True)


@needs_tesseract
def test_every_format_once_confirmed_is_under_its_questions_everywhere(
    runner: FlaskCliRunner,
    admin_client: FlaskClient,
    consultation: Consultation,
    tmp_path: Path,
) -> None:
    """The DOCX, the ODT, the text PDF and the scan, each confirmed with a category: their
    text on the reading page, in the synthesis snapshot and in the long format, by question."""
    assert _import(runner, write_folder(tmp_path / "brev"), "--yes").exit_code == 0
    municipality = category_id(consultation, "Forvaltning (Offentlig)")
    for name in ("bergen.pdf", "stavanger-skannet.pdf"):
        submission, _ = letter_named(consultation, name)
        submission.category_id = municipality
        assert letters.confirm_proposed(submission, utcnow())
    db.session.commit()
    expected = {
        "helsedirektoratet.docx": ("3", "Det viktigste er at maten er gratis og sunn."),
        "privat.odt": ("3", "Det viktigste er at alle barn får et varmt måltid."),
        "bergen.pdf": ("2", "Kommunen er enig i målene, men savner finansiering."),
        "stavanger-skannet.pdf": ("3", "elevene spiser sammen"),
    }
    by_key = {r.key: r for r in snapshot_of(consultation).respondents}
    texts = _texts_in_long_format(runner, tmp_path)
    for name, (code, words) in expected.items():
        submission, _ = letter_named(consultation, name)
        html = admin_client.get(
            f"/admin/consultations/skolemat/submissions/{submission.id}"
        ).get_data(as_text=True)
        question = next(q.text for q in consultation.questions if q.code == code)
        assert html.index(question) < html.index(words), name
        assert words in by_key[submission.reference].answers[code].text, name
        assert any(words in text for (_, q), text in texts.items() if q == code), name


def test_the_upload_page_takes_more_than_a_form_may(
    app, admin_client: FlaskClient, consultation: Consultation
) -> None:
    """MAX_CONTENT_LENGTH bounds what is typed; letters have their own limits."""
    files = letter_files()
    app.config["MAX_CONTENT_LENGTH"] = len(files["bergen.pdf"]) // 2
    response = admin_client.post(
        "/admin/consultations/skolemat/letters",
        data={"files": [(io.BytesIO(files["bergen.pdf"]), "bergen.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "1 brev er registrert" in response.get_data(as_text=True)
