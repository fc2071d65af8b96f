"""Importers that turn documents produced elsewhere into snapshots (no Flask, no database)."""
