"""`tlslint check` never imports the report's heavy dependencies (Jinja2, CycloneDX, the evidence package)."""

from __future__ import annotations

import subprocess
import sys

from tests.report.support import FIRMWARE


def test_check_does_not_import_report_dependencies():
    code = (
        "import sys, io, contextlib\n"
        "from tlslint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    main(['check', {str(FIRMWARE)!r}, '--fail-on', 'never'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe', 'cyclonedx')"
        " or m.startswith('tlslint.evidence'))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == ""
