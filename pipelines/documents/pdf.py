"""PDF text through pypdfium2 (PDFium, the engine of Chrome's viewer; Apache-2.0/BSD wheels
with the library inside, so nothing is fetched at run time).

Chosen over pypdf and pdfminer.six after running all three on the real attachments
(bench/documents_eval.py): all three find every title and gold sentence in the files with a
text layer, and PDFium is 20–70× faster (the 101-page RFP: 0.3 s against 10 s and 15 s).

A PDF can draw Hangul without putting it in its text layer (a scan, or fonts without a
ToUnicode map, like the cairo-made twin in the test files): then only digits and punctuation
come out, and the file is reported as having no text layer rather than passed on as a body of
page numbers.
"""

from __future__ import annotations

from pipelines.documents.model import COLLECT_CHARS, MAX_PDF_PAGES, Deadline, DocumentError

# fewer letters than this per page (on average, at least MIN_LETTERS in all) = no text layer
MIN_LETTERS_PER_PAGE = 20
MIN_LETTERS = 40


def read_pdf(data: bytes, deadline: Deadline) -> tuple[list[str], list[str]]:
    """(the lines of a PDF's text layer page after page, the largest-type lines of page 1).
    A PDF's text order follows its drawing order, so a title can come out after the body's
    first lines (as in the MOEF releases); type size finds it where order cannot."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise DocumentError("encrypted", "the PDF needs a password to open") from None
        raise DocumentError("broken", f"PDFium cannot open it ({error})") from None
    try:
        pages = len(document)
        if pages == 0:
            raise DocumentError("broken", "the PDF has no pages")
        if pages > MAX_PDF_PAGES:
            raise DocumentError("too large", f"{pages} pages (at most {MAX_PDF_PAGES})")
        lines: list[str] = []
        heading: list[str] = []
        size = 0
        for index in range(pages):
            deadline.check()
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded()
                    if index == 0:
                        heading = _largest_lines(textpage)
                finally:
                    textpage.close()
            except pdfium.PdfiumError as error:
                raise DocumentError("broken", f"page {index + 1} cannot be read ({error})") from None
            finally:
                page.close()
            page_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            lines.extend(page_lines)
            size += len(text)
            if size > COLLECT_CHARS:
                break
    finally:
        document.close()
    letters = sum(1 for line in lines for char in line if char.isalpha())
    if letters < max(MIN_LETTERS, MIN_LETTERS_PER_PAGE * min(pages, 5)):
        raise DocumentError("no text layer",
                            "the PDF's pages carry no text to extract (a scan, or glyphs without a text layer); OCR would be needed")
    return lines, heading


def _largest_lines(textpage) -> list[str]:
    """The first run of consecutive lines on a page set in its largest type (within 3%),
    header words such as 보도자료 and page numbers aside. Type size is the height of each
    letter's font box: the font size PDFium reports is 1.0 in PDFs that scale text by their
    matrix (the Quartz-made file among the test files)."""
    from pipelines.documents.title import is_header_word

    sized: list[tuple[str, float]] = []
    chars: list[str] = []
    biggest = 0.0
    for i in range(min(textpage.count_chars(), 5000)):
        char = textpage.get_text_range(i, 1)
        if char in ("\r", "\n", ""):
            if chars:
                sized.append(("".join(chars), biggest))
            chars, biggest = [], 0.0
            continue
        chars.append(char)
        if char.isalpha():
            _, bottom, _, top = textpage.get_charbox(i, loose=True)
            biggest = max(biggest, top - bottom)
    if chars:
        sized.append(("".join(chars), biggest))
    sized = [(line.strip(), size) for line, size in sized
             if size > 0 and sum(c.isalpha() for c in line) >= 2 and not is_header_word(line)]
    if not sized:
        return []
    largest = max(size for _, size in sized)
    run: list[str] = []
    run_size = 0.0
    for line, size in sized:
        if not run and size >= 0.97 * largest:
            run, run_size = [line], size
        elif run and abs(size - run_size) <= 0.03 * run_size and len(run) < 4:
            run.append(line)
        elif run:
            break
    return run
