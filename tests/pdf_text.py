"""The text of a report.pdf, as the report tests read it back."""

import pypdf


def pdf_text(path) -> str:
    """The text of every page, all white space (line ends, Typst's no-break spaces) as one space."""
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages)
