"""Letters: hearing responses that come as signed PDF, Word or ODT files (no Flask, no database).

`extract` reads a letter's text within the import limits (text recognition for scanned pages),
`sender` proposes who wrote it, `passages` splits it by the questions it answers, and `messages`
words what went wrong or what the secretariat should check, in bokmål or English.
"""
