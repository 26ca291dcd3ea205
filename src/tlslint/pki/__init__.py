"""Certificates, keys and trust stores: loading, facts for rules, chains, pins."""
