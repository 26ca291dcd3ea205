"""Facts about TLS: protocol versions, cipher suites, groups, signature schemes, engine defaults."""
