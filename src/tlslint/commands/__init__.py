"""One module per subcommand; see :mod:`tlslint.cli` for the protocol they follow."""
