"""The error of a file that cannot be read as the long format at all."""

from __future__ import annotations


class LongFormatError(ValueError):
    """The file cannot be read as the long format at all (as opposed to single bad rows).

    `code` and `params` are worded by `messages.message`, in the secretariat's language.
    """

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
