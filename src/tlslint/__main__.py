from tlslint.cli import entry

raise SystemExit(entry())
