"""Benchmark: reading letters (hearing.letters.extract), typical ones and the worst cases.

Each case runs in a fresh interpreter, so its peak memory (VmHWM) is its own; the file is
written by the parent beforehand, and the time covers reading it from bytes to text (the
libraries are imported before the clock starts).
Typical letters (a few pages of PDF, Word and ODT, one scanned page read by Tesseract) are
timed beside large ones (a 200-page PDF, a Word document of 10,000 paragraphs) and beside
files that must be refused fast: a zip bomb, a Word or ODT file of more elements than its
parser reads in time, a PDF of 5,000 pages, a PDF that draws one large stream on every page.
The baseline is the same file read the plain way, without the reader's checks (pypdf's
extract_text, python-docx's paragraphs, odfpy's teletype), stopped after two minutes.

    .venv/bin/python bench/bench_letters.py [--only NAME]

It prints a Markdown table and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIRECTORY = Path(__file__).parent
RESULTS_DIRECTORY = BENCH_DIRECTORY / "results"
WORDS = (
    "ledere", "kompetanse", "veiledning", "implementering", "tjenestene", "barn", "unge",
    "kommunen", "samarbeid", "kunnskap", "praksis", "forskning", "brukerne", "tiltak", "bør",
    "vedlikehold", "ressurser", "familier", "tverrfaglig", "målene", "og", "i", "for", "med",
)  # fmt: skip


def paragraph(number: int) -> str:
    """A paragraph of some forty words, different for every number (as a letter's are)."""
    rng = random.Random(number)
    return " ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "."


SCANNED_LINES = (
    "Bydel Stovner",
    "Høringsuttalelse om ledelse for kunnskapsbasert praksis",
    "Til punkt 2",
    "Vi støtter målene, men kvalitetsmåling bør tones ned.",
    "Med vennlig hilsen",
    "Ola Nordmann",
)


def text_pdf(pages: int, paragraphs: int = 4) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    for number in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Til punkt {number % 6 + 1}")
        for paragraph_number in range(paragraphs):
            pdf.ln(4)
            pdf.multi_cell(0, 6, paragraph(number * paragraphs + paragraph_number))
    return bytes(pdf.output())


def docx(paragraphs: int) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for number in range(paragraphs):
        if number % 20 == 0:
            document.add_heading(f"Til punkt {number // 20 % 6 + 1}", 1)
        document.add_paragraph(paragraph(number))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt(paragraphs: int) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    for number in range(paragraphs):
        if number % 20 == 0:
            document.text.addElement(H(outlinelevel=1, text=f"Til punkt {number // 20 % 6 + 1}"))
        document.text.addElement(P(text=paragraph(number)))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def scanned_pdf(pages: int) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font_file = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    font = ImageFont.truetype(font_file, 40) if Path(font_file).exists() else None
    pictures = []
    for _ in range(pages):
        picture = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
        draw = ImageDraw.Draw(picture)
        for row, line in enumerate(SCANNED_LINES):
            draw.text((160, 200 + 64 * row), line, fill=0, font=font)
        pictures.append(picture)
    buffer = io.BytesIO()
    first, *rest = pictures
    first.save(buffer, format="PDF", resolution=200, save_all=True, append_images=rest)
    return buffer.getvalue()


def rezipped(data: bytes, replace: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(name, replace.get(name, source.read(name)))
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A Word file whose document unpacks to 256 MB of spaces (a quarter of a MB packed)."""
    small = docx(1)
    document = zipfile.ZipFile(io.BytesIO(small)).read("word/document.xml")
    padded = document.replace(b"<w:body>", b"<w:body>" + b" " * (256 * 1024 * 1024), 1)
    return rezipped(small, {"word/document.xml": padded})


def many_elements(kind: str, count: int) -> bytes:
    """A Word or ODT file of `count` paragraphs of a number each: little to pack, much to parse."""
    if kind == "docx":
        small = docx(1)
        name, tag = "word/document.xml", "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
        anchor = b"<w:body>"
    else:
        small = odt(1)
        name, tag = "content.xml", "<text:p>{}</text:p>"
        anchor = b"<office:text>"
    part = zipfile.ZipFile(io.BytesIO(small)).read(name)
    body = "".join(tag.format(number) for number in range(count)).encode()
    return rezipped(small, {name: part.replace(anchor, anchor + body, 1)})


def blank_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def reused_content_pdf(pages: int) -> bytes:
    """Every page draws the same 1.2 MB stream of text operators (tiny file, much to parse)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 720 Td (Horing) Tj ET\n" * 30_000)
    stream = stream.flate_encode()
    reference = writer._add_object(stream)
    for _ in range(pages):
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Contents")] = reference
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


CASES = {
    "PDF letter, 3 pages": lambda: text_pdf(3),
    "Word letter, 60 paragraphs": lambda: docx(60),
    "ODT letter, 60 paragraphs": lambda: odt(60),
    "scanned letter, 1 page (Tesseract)": lambda: scanned_pdf(1),
    "PDF, 200 pages": lambda: text_pdf(200),
    "Word, 10,000 paragraphs": lambda: docx(10_000),
    "ODT, 10,000 paragraphs": lambda: odt(10_000),
    "zip bomb (Word, 256 MB unpacked)": zip_bomb,
    "Word, 1,000,000 elements": lambda: many_elements("docx", 333_334),
    "ODT, 400,000 elements": lambda: many_elements("odt", 400_000),
    "PDF, 5,000 blank pages": lambda: blank_pdf(5000),
    "PDF, one 1.2 MB stream on 300 pages": lambda: reused_content_pdf(300),
}
BASELINE_TIMEOUT = 120


def read_with_reader(data: bytes) -> dict:
    from hearing.letters.extract import LetterRejected, extract_letter

    try:
        letter = extract_letter(data)
    except LetterRejected as error:
        return {"outcome": f"refused: {error.code}"}
    return {"outcome": f"{len(letter.text):,} characters, {letter.ocr_pages} by OCR"}


def read_plainly(data: bytes) -> dict:
    """The baseline: the file read by its library alone, as a reader without checks would."""
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    elif b"word/document.xml" in data:
        import docx as python_docx

        document = python_docx.Document(io.BytesIO(data))
        text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    else:
        from odf import teletype
        from odf.opendocument import load

        text = teletype.extractText(load(io.BytesIO(data)).text)
    return {"outcome": f"{len(text):,} characters"}


def run_child(mode: str, path: Path) -> dict:
    """Read the file in a fresh interpreter: what came of it, its seconds and peak memory."""
    command = [sys.executable, __file__, "--child", mode, "--file", str(path)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=BENCH_DIRECTORY.parent)
    try:
        output, _ = child.communicate(timeout=BASELINE_TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return {"outcome": f"stopped after {BASELINE_TIMEOUT} s", "seconds": "–", "peak_mb": "–"}
    if child.returncode != 0:
        return {"outcome": "failed", "seconds": "–", "peak_mb": "–"}
    return json.loads(output.strip().splitlines()[-1])


def child(mode: str, path: Path) -> None:
    import docx  # noqa: F401  (the libraries load before the clock starts)
    import odf.opendocument  # noqa: F401
    import pypdf  # noqa: F401

    import hearing.letters.extract  # noqa: F401

    data = path.read_bytes()
    started = time.perf_counter()
    report = (read_with_reader if mode == "reader" else read_plainly)(data)
    report["seconds"] = round(time.perf_counter() - started, 2)
    report["peak_mb"] = _peak_megabytes()
    print(json.dumps(report))


def _peak_megabytes() -> float:
    """This process's peak resident memory (VmHWM, which a fork's parent does not inflate)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--child", choices=("reader", "plain"))
    parser.add_argument("--file", type=Path)
    parser.add_argument("--only", help="run the cases whose name contains this")
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH_DIRECTORY.parent))
    if args.child:
        child(args.child, args.file)
        return
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        for name, build in CASES.items():
            if args.only and args.only not in name:
                continue
            path = Path(directory) / "letter"
            path.write_bytes(build())
            size = path.stat().st_size
            reader = run_child("reader", path)
            plain = run_child("plain", path)
            rows.append({"case": name, "bytes": size, "reader": reader, "plain": plain})
            print(f"{name}: {reader} / {plain}", file=sys.stderr)
    print(f"Reading letters ({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})\n")
    print("| file | size | reader | s | peak MB | plain library | s | peak MB |")
    print("|---|---:|---|---:|---:|---|---:|---:|")
    for row in rows:
        reader, plain = row["reader"], row["plain"]
        print(
            f"| {row['case']} | {row['bytes'] / 1024:,.0f} KB | {reader['outcome']} "
            f"| {reader['seconds']} | {reader['peak_mb']} | {plain['outcome']} "
            f"| {plain['seconds']} | {plain['peak_mb']} |"
        )
    RESULTS_DIRECTORY.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {"machine": platform.platform(), "cases": rows}
    (RESULTS_DIRECTORY / f"letters-{stamp}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
