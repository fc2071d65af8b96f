"""Sending one e-mail over SMTP, and telling a failure worth retrying from a final one.

The standard library is enough (smtplib, email.message): one plain-text message per
connection, STARTTLS when `MAIL_USE_TLS`, a login when `MAIL_USERNAME` is set. SMTP says itself
which failures are final: a 5xx reply (recipient unknown, message refused, authentication
refused) will be the same on the next try, so it fails the message at once; a 4xx reply, a
refused or dropped connection, a timeout or a name that does not resolve may pass, so the
outbox tries again later (hearing.services.outbox).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any


class DeliveryFailed(Exception):
    """The message was not sent. `permanent`: the server refused it for good (a 5xx reply)."""

    def __init__(self, detail: str, *, permanent: bool) -> None:
        super().__init__(detail)
        self.permanent = permanent


@dataclass(frozen=True)
class SmtpSettings:
    server: str
    port: int
    use_tls: bool
    username: str | None
    password: str | None
    sender: str
    timeout: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings | None:
        """The configured server, or None when no `MAIL_SERVER` is set (nothing is sent)."""
        if not config.get("MAIL_SERVER"):
            return None
        return cls(
            server=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            use_tls=bool(config["MAIL_USE_TLS"]),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            sender=config["MAIL_FROM"],
            timeout=float(config["MAIL_TIMEOUT_SECONDS"]),
        )


def build_message(
    settings: SmtpSettings, to_address: str, subject: str, body: str, language: str
) -> EmailMessage:
    """A plain-text UTF-8 message, marked as sent by a machine (no out-of-office replies)."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to_address
    message["Subject"] = " ".join(subject.split())  # a title with a line break is one line here
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=_sender_domain(settings.sender))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    message["Content-Language"] = language  # after set_content, which replaces Content-*
    return message


def _sender_domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    try:
        return Address(addr_spec=address).domain or "localhost"
    except (ValueError, IndexError):
        return "localhost"


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send `message`; raises `DeliveryFailed` saying what went wrong and whether to retry."""
    try:
        with smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout) as smtp:
            if settings.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        replies = list(error.recipients.values())
        detail = "; ".join(f"{code} {_text(reply)}" for code, reply in replies)
        permanent = all(500 <= code < 600 for code, _reply in replies)
        raise DeliveryFailed(detail, permanent=permanent) from error
    except smtplib.SMTPResponseException as error:
        detail = f"{error.smtp_code} {_text(error.smtp_error)}"
        raise DeliveryFailed(detail, permanent=500 <= error.smtp_code < 600) from error
    except (smtplib.SMTPException, OSError) as error:  # refused, dropped, timed out, no TLS
        raise DeliveryFailed(f"{type(error).__name__}: {error}", permanent=False) from error


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
