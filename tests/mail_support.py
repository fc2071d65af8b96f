"""Real SMTP servers for the mail tests (aiosmtpd in a thread of the test process).

`SmtpServer` accepts and keeps every message, or answers each delivery with the replies it is
given first (a 550 refusal, a 451 "try later"), then accepts. `closed_port` is a port where
nothing listens: connecting is refused, as with a server that is down.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


closed_port = free_port


class RecordingHandler:
    """Keeps accepted messages; `replies` are answered to RCPT, one per attempt, first."""

    def __init__(self, replies: list[str] | None = None) -> None:
        self.replies = list(replies or [])
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []

    async def handle_RCPT(  # aiosmtpd's hook names
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.replies:
            return self.replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        self.envelopes.append(envelope)
        return "250 Message accepted"


@contextmanager
def smtp_server(replies: list[str] | None = None) -> Iterator[tuple[RecordingHandler, int]]:
    handler = RecordingHandler(replies)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def mail_config(port: int, **overrides: object) -> dict[str, object]:
    """App settings that send to 127.0.0.1:`port` without TLS or login."""
    config: dict[str, object] = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": False,
        "MAIL_FROM": "Høringsløsningen <hoering@example.no>",
        "MAIL_TIMEOUT_SECONDS": 5,
    }
    config.update(overrides)
    return config


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")  # as sent over SMTP: CRLF
