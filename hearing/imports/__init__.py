"""Readers of documents produced elsewhere: compiled hearing documents (PDF or text), long-format
response files (CSV, XLSX), invitee lists and the text of PDF letters, turned into snapshots,
validated rows and problem reports.

No database and no web request: the CLI, the upload pages, the letter reader
(`hearing.letters`), the benchmarks and the tests call them alike. Problems are worded with
flask_babel's `gettext` or `hearing.imports.messages`, which outside a request give the bokmål
text. Storing what was read is the loaders' work, in `hearing.services` (`compiled_loader`,
`long_import`, `long_loader`); `tests/test_layers.py` keeps the database out of this package.
"""
