"""Renderers: each turns a lint result into one output format and knows nothing about parsing or rules."""
