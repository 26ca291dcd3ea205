"""report.html in a real headless Chromium (Debian's package, driven by Playwright; no browser download):
it renders, shows the counts, the filters work under the Content-Security-Policy, no request leaves the
page, hostile input is inert, and the print stylesheet applies."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.report.support import FIRMWARE, copy_tree, load, make_report

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE_DIR = "<script>alert(1)<"  # with the file name below the path reads <script>alert(1)</script>nginx.conf
HOSTILE_NGINX = """\
events {}
http {
    server {
        listen 443 ssl;
        server_name "<script>alert(2)</script>.example";
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers "ECDHE-RSA-AES128-GCM-SHA256";
    }
}
"""
#: A configuration value that is an input error: its text reaches the diagnostics (and so the report).
HOSTILE_CIPHERS = HOSTILE_NGINX.replace(
    'ssl_ciphers "ECDHE-RSA-AES128-GCM-SHA256"',
    'ssl_ciphers "ECDHE-RSA-AES128-GCM-SHA256:<img src=x onerror=alert(3)>"',
)
HOSTILE_ANSWERS = """\
apiVersion: tlslint/amendments/v1
attestations:
  - id: "<script>alert(5)</script>"
    requirement: en18031-1@2024:ACM-1
    question: ACM-1.Q1
    result: pass
    answer: "</p><script>alert(6)</script><p>"
    author: "<b>mallory</b>"
    approver: Head of product security
    answered_on: "2026-10-01"
    expires: "2027-10-01"
"""

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    tree = copy_tree(FIRMWARE, root / "firmware")
    (tree / HOSTILE_DIR).mkdir()
    (tree / HOSTILE_DIR / "script>nginx.conf").write_text(HOSTILE_NGINX)
    (tree / "broken").mkdir()
    (tree / "broken" / "nginx.conf").write_text(HOSTILE_CIPHERS)
    answers = root / "answers.yaml"
    answers.write_text(HOSTILE_ANSWERS)
    out = root / "out"
    result = make_report(
        [str(tree)],
        out,
        "--framework",
        "en18031-1",
        "--attestations",
        str(answers),
        "--fail-on",
        "never",
        formats="html,json",
    )
    assert result.code == 3, result.err  # the hostile cipher string is an input error; the report is written
    assert "<script>alert(1)</script>nginx.conf" in json_text(out)
    return out


def json_text(out: Path) -> str:
    return (out / "report.json").read_text()


@pytest.fixture(scope="module")
def browser_page(report: Path):
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    dialogs: list[str] = []
    console: list[str] = []
    profile = tempfile.mkdtemp(prefix="tlslint-chromium-")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS, viewport={"width": 1200, "height": 900}
        )
        try:
            page = context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            page.goto((report / "report.html").as_uri())
            page.wait_for_load_state("load")
            yield page, requests, dialogs, console
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def test_renders_with_the_counts_of_report_json(report: Path, browser_page):
    page, _requests, _dialogs, _console = browser_page
    document = load(report)
    framework = document["frameworks"][0]
    table = page.locator(f'table.counts[data-framework="{framework["ref"]}"]')
    for status, count in framework["counts"].items():
        assert table.locator(f'td[data-count="{status}"]').inner_text() == str(count)
    assert page.locator("#report-hash").inner_text() == document["integrity"]["report_sha256"]
    if os.environ.get("TLSLINT_REPORT_SCREENSHOT"):
        page.locator("#summary").screenshot(path=os.environ["TLSLINT_REPORT_SCREENSHOT"])


def test_filters_work_under_the_csp(report: Path, browser_page):
    page, _requests, _dialogs, console = browser_page
    framework = load(report)["frameworks"][0]
    total = len(framework["requirements"])
    manual = framework["counts"]["manual"]
    assert manual > 0
    assert page.locator("#filter-shown").inner_text() == str(total)
    page.locator('input[data-filter-status="manual"]').uncheck()
    assert page.locator("#filter-shown").inner_text() == str(total - manual)
    assert page.locator('.req[data-status="manual"]:visible').count() == 0
    page.locator('input[data-filter-status="manual"]').check()
    page.locator("#filter-text").fill("ACM-1")
    visible = page.locator(".req:visible")
    assert visible.count() == 1 and "ACM-1" in visible.first.inner_text()
    page.locator("#filter-text").fill("")
    assert page.locator(".req:visible").count() == total
    # The inline script and style ran because the CSP allows them by hash; nothing was blocked.
    assert not [line for line in console if "Content Security Policy" in line], console


def test_no_request_leaves_the_page(report: Path, browser_page):
    _page, requests, _dialogs, _console = browser_page
    assert requests == [(report / "report.html").as_uri()]


def test_hostile_input_is_inert(browser_page):
    page, _requests, dialogs, _console = browser_page
    assert dialogs == []
    # Only tlslint's own two script elements (the JSON data block and the filter script).
    assert page.evaluate("document.querySelectorAll('script').length") == 2
    assert page.evaluate("document.querySelectorAll('img, b').length") == 0
    text = page.locator("body").inner_text()
    assert "<script>alert(1)</script>nginx.conf" in text
    assert "<script>alert(2)</script>.example" in text
    assert "</p><script>alert(6)</script><p>" in text
    assert "<img src=x onerror=alert(3)>" in text


def test_print_stylesheet_hides_the_filters_and_shows_everything(browser_page):
    page, _requests, _dialogs, _console = browser_page
    page.locator('input[data-filter-status="manual"]').uncheck()
    page.emulate_media(media="print")
    try:
        assert page.evaluate("getComputedStyle(document.getElementById('filters')).display") == "none"
        hidden = page.locator('.req[data-status="manual"]').first
        assert page.evaluate("(el) => getComputedStyle(el).display", hidden.element_handle()) == "block"
    finally:
        page.emulate_media(media="screen")
        page.locator('input[data-filter-status="manual"]').check()
