"""The HTML report: anchors and the table of contents, --par-regle, and its layout in a real browser
(390 px wide phone, print to PDF) through headless Chromium."""

from __future__ import annotations

import io
import os
import re
import shutil
from html.parser import HTMLParser

import pdfplumber
import pytest

from contratcheck.model import DocumentResult, ErrorInfo, Evidence, Finding, Format, Report, RuleInfo, Severity, Status
from contratcheck.report import render
from contratcheck.report.html import POLICY

LONG_PATH = "contrats/" + "offresansfin" * 14 + ".pdf"  # no place a browser would break it by itself
LONG_WORD = "https://exemple.fr/" + "x" * 150


def rule(rule_id: str, severity: Severity) -> RuleInfo:
    return RuleInfo(rule_id, severity, f"Titre {rule_id}", "Condition.", "Pourquoi.", "Exiger.")


RULES = (rule("gtr-absente", Severity.CRITIQUE), rule("delai-non-engageant", Severity.MAJEUR),
         rule("rpo-rto-absents", Severity.MINEUR))


def finding(rule_id: str, severity: Severity, tag: str, excerpt: str = "Nous intervenons sous 24 heures.") -> Finding:
    """A finding whose first words hold « DEB<tag> » and last words « FIN<tag> », to find it in a PDF."""
    why = "Sans délai écrit, rien ne se réclame. " * 4
    return Finding(rule_id, severity, f"Constat DEB{tag}", "Le délai n'engage pas.",
                   (Evidence(None, "Article 3 – Délais", 14, excerpt, 0, 10),), why,
                   "Un délai ferme.", "Quel délai garantissez-vous ?", f"Réponse vague FIN{tag}")


def make_report(documents: int = 3) -> Report:
    results = [DocumentResult(LONG_PATH, Format.PDF, Status.OK, None, 3,
                              (finding("gtr-absente", Severity.CRITIQUE, "000", LONG_WORD),))]
    for n in range(1, documents):
        results.append(DocumentResult(f"contrats/offre-{n}.docx", Format.DOCX, Status.OK, None, None, (
            finding("delai-non-engageant", Severity.MAJEUR, f"{n}1"), finding("gtr-absente", Severity.CRITIQUE, f"{n}2"))))
    results.append(DocumentResult("contrats/cassé.pdf", None, Status.ERROR, ErrorInfo("corrupt", "PDF illisible."), None))
    return Report("1.0.0", tuple(results), RULES, ("Une exception a expiré.",))


class Anchors(HTMLParser):
    """The ids, the link targets and the link texts of a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.links: dict[str, list[str]] = {}
        self._href: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "a":
            self._href = attributes.get("href")
            self.hrefs.append(self._href)

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None

    def handle_data(self, data):
        if self._href:
            self.links.setdefault(self._href, []).append(data)


def test_every_link_is_a_fragment_of_the_page():
    page = Anchors(render("html", make_report(), by_rule=True))
    assert len(page.ids) == len(set(page.ids))
    assert page.hrefs and all(href.startswith("#") for href in page.hrefs)
    assert {href[1:] for href in page.hrefs} <= set(page.ids)
    assert "src=" not in render("html", make_report())


def test_table_of_contents_links_each_document_and_each_finding_links_itself():
    report = make_report()
    page = Anchors(render("html", report))
    for position, document in enumerate(report.documents, 1):
        assert page.links[f"#d{position}"] == [document.path]  # the summary row
    assert page.links["#d1-gtr-absente"] == ["lien"] and page.links["#d2-delai-non-engageant"] == ["lien"]
    assert page.links["#remarques"] == ["Remarques"] and "#par-regle" not in page.links


def test_by_rule_lists_the_rules_that_fired_in_pack_order_with_links():
    report = make_report()
    text = render("html", report, by_rule=True)
    section = text[text.index('<section id="par-regle">'):text.index('<section class="document"')]
    assert section.index("gtr-absente") < section.index("delai-non-engageant") and "rpo-rto-absents" not in section
    assert re.findall(r'href="#(d\d+-gtr-absente)"', section) == ["d1-gtr-absente", "d2-gtr-absente", "d3-gtr-absente"]
    assert "3 document(s)" in section and "2 document(s)" in section
    assert "par-regle" not in render("html", report)
    assert text == render("html", make_report(), by_rule=True)  # byte-stable


def test_anchors_stay_ids_whatever_the_rule_id_and_stay_unique():
    hostile = finding('x" onload="y', Severity.INFO, "1")
    report = Report("1.0.0", (DocumentResult("a.txt", Format.TXT, Status.OK, None, None, (hostile, hostile)),))
    text = render("html", report)
    assert 'id="d1-x__onload__y"' in text and 'id="d1-x__onload__y-2"' in text
    assert 'onload="' not in text
    assert f'content="{POLICY}"' in text and "script-src" not in POLICY and "<script" not in text


# --- In a browser -------------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]


def _absent(reason: str):
    """Locally a missing browser skips the layout tests; in CI (CI set) it fails them."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} : CI doit les installer (apt-get install chromium ; pip install playwright)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _absent("Chromium absent")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _absent("Playwright pour Python absent")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    opened = browser.new_page(viewport={"width": 390, "height": 844})
    yield opened
    opened.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_page_never_scrolls_sideways(page, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.set_content(render("html", make_report(), by_rule=True))
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths == [width, width]
    row = page.locator(".summary tbody tr").first.bounding_box()
    assert row is not None and row["x"] + row["width"] <= width  # the summary is laid out within the screen


def test_table_of_contents_links_land_on_their_section(page):
    page.set_content(render("html", make_report(5), by_rule=True))
    targets = page.evaluate("""[...document.querySelectorAll('a[href^="#"]')]
        .map(a => document.getElementById(a.getAttribute('href').slice(1)) ? '' : a.getAttribute('href'))""")
    assert len(targets) > 10 and not any(targets)
    page.click('.summary a[href="#d4"]')
    top = page.evaluate("document.getElementById('d4').getBoundingClientRect().top")
    assert abs(top) < 2  # the browser scrolled the document's section to the top


def _pages_holding(pdf: bytes) -> dict[str, set[int]]:
    """For each « DEB… » and « FIN… » marker, the pages it is printed on."""
    found: dict[str, set[int]] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, sheet in enumerate(document.pages):
            for marker in re.findall(r"(?:DEB|FIN)\d+", sheet.extract_text() or ""):
                found.setdefault(marker, set()).add(number)
    return found


def test_printing_never_splits_a_finding_across_pages(page):
    page.set_content(render("html", make_report(8), by_rule=True))
    found = _pages_holding(page.pdf(format="A4"))
    starts = sorted(marker[3:] for marker in found if marker.startswith("DEB"))
    assert len(starts) == 15 and len({page for pages in found.values() for page in pages}) > 3
    split = [tag for tag in starts if found[f"DEB{tag}"] != found.get(f"FIN{tag}")]
    assert split == []


def test_printing_keeps_badges_readable_without_background(page):
    page.set_content(render("html", make_report()))
    page.emulate_media(media="print")
    badge = page.evaluate("""(() => { const s = getComputedStyle(document.querySelector('.badge.critique'));
        return [s.color, s.backgroundColor]; })()""")
    assert badge == ["rgb(198, 40, 40)", "rgba(0, 0, 0, 0)"]  # red text, no background to drop
