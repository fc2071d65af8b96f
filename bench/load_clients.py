"""Load clients: respondents who really fill in the form, and a prober of a trivial endpoint.

The clients share the two cores with the server, so each one is kept cheap: a raw keep-alive
`http.client` connection, request bodies built before the clock starts, and one regex per page
for the hidden fields. A respondent only counts a submission as acknowledged when the receipt
page came back with its reference; until then it retries the same POST (same idempotency key,
CSRF token and session cookie), which is what makes a server crash safe to survive.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes, urlencode, urlsplit

from bench.load_server import ConsultationSpec
from synthesis.snapshot import QuestionKind

CSRF_PATTERN = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
KEY_PATTERN = re.compile(rb'name="idempotency_key" type="hidden" value="([^"]+)"')
REFERENCE_PATTERN = re.compile(rb'class="reference">([^<]+)<')
WORDS = (
    "barn", "unge", "samarbeid", "tjenestene", "kunnskap", "ledelse", "kommunen", "praksis",
    "forskning", "ressurser", "kompetanse", "tverrfaglig", "brukerne", "familier", "tiltak",
    "skolen", "helsestasjonen", "barnevernet", "koordinering", "medvirkning", "økonomi",
)  # fmt: skip
FORM_TIMEOUT_SECONDS = 60.0
MAX_BACKOFF_SECONDS = 0.5


class TransportError(Exception):
    """The connection failed or was cut; the request may or may not have reached the server."""


class RespondentError(Exception):
    """The server answered in a way a retry cannot fix (e.g. 400 on a CSRF failure)."""


class KeepAliveClient:
    """One browser: a keep-alive connection and its session cookie."""

    def __init__(self, address: tuple[str, int], timeout: float = FORM_TIMEOUT_SECONDS) -> None:
        self.address = address
        self.timeout = timeout
        self.cookie: str | None = None
        self._connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, str, bytes]:
        """Returns status, Location header ("" if none) and body; raises TransportError."""
        headers = {"Host": "127.0.0.1"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self._connection is None:
            self._connection = http.client.HTTPConnection(*self.address, timeout=self.timeout)
        try:
            self._connection.request(method, path, body=body, headers=headers)
            response = self._connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise TransportError(str(error)) from error
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, response.getheader("Location", ""), content

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


@dataclass
class ClientStats:
    """What one client thread saw; merged after the run."""

    submit_seconds: list[float] = field(default_factory=list)
    flow_seconds: list[float] = field(default_factory=list)  # form page, POST and receipt
    acknowledged: list[str] = field(default_factory=list)
    transport_retries: int = 0
    submit_retries: int = 0  # POSTs sent again: the first may or may not have been stored
    server_error_retries: int = 0
    errors: list[str] = field(default_factory=list)


def answer_bodies(spec: ConsultationSpec, count: int, seed: int = 0) -> list[bytes]:
    """Complete answers (every question; scale and text) as urlencoded tails, one per response.

    The hidden fields (CSRF token, idempotency key) are put in front at run time.
    """
    rng = random.Random(seed)
    bodies = []
    for number in range(count):
        fields: list[tuple[str, str]] = [
            ("respondent_name", f"Respondent {number}"),
            ("category", str(rng.choice(spec.category_ids))),
            ("on_behalf_of", ""),
            ("email", f"respondent{number}@example.no"),
            ("consent", rng.choice(("named", "anonymous", "none"))),
            ("homepage", ""),
        ]
        for question in spec.questions:
            if question.kind in (QuestionKind.SCALE, QuestionKind.SCALE_TEXT):
                fields.append((f"q{question.id}_value", str(rng.randrange(spec.scale_size))))
            if question.kind in (QuestionKind.TEXT, QuestionKind.SCALE_TEXT):
                text = " ".join(rng.choices(WORDS, k=rng.randint(20, 60)))
                fields.append((f"q{question.id}_text", f"{text.capitalize()}. Svar {number}."))
        fields.append(("action", "submit"))
        bodies.append(b"&" + urlencode(fields).encode("ascii"))
    return bodies


class Respondent:
    """Answers one response after another from a shared queue, retrying until acknowledged."""

    def __init__(
        self,
        client: KeepAliveClient,
        slug: str,
        next_body: Callable[[], bytes | None],
        deadline: float,
    ) -> None:
        self.client = client
        self.form_path = f"/h/{slug}/svar"
        self.next_body = next_body
        self.deadline = deadline
        self.stats = ClientStats()

    def run(self) -> None:
        while (tail := self.next_body()) is not None:
            try:
                self.stats.acknowledged.append(self.respond(tail))
            except RespondentError as error:
                self.stats.errors.append(str(error))
        self.client.close()

    def respond(self, tail: bytes) -> str:
        """The real flow: GET the form, POST the answers, follow to the receipt."""
        started = time.perf_counter()
        page = self._until_ok("GET", self.form_path)
        csrf, key = CSRF_PATTERN.search(page), KEY_PATTERN.search(page)
        if csrf is None or key is None:
            raise RespondentError("the form has no CSRF token or idempotency key")
        body = b"csrf_token=%s&idempotency_key=%s%s" % (
            quote_from_bytes(csrf.group(1)).encode("ascii"),
            quote_from_bytes(key.group(1)).encode("ascii"),
            tail,
        )
        location = self._submit(body)
        receipt = self._until_ok("GET", urlsplit(location).path)
        reference = REFERENCE_PATTERN.search(receipt)
        if reference is None:
            raise RespondentError("the receipt shows no reference")
        self.stats.flow_seconds.append(time.perf_counter() - started)
        return reference.group(1).decode("ascii")

    def _submit(self, body: bytes) -> str:
        attempt = 0
        while True:
            started = time.perf_counter()
            try:
                status, location, content = self.client.request("POST", self.form_path, body)
            except TransportError:
                self.stats.transport_retries += 1
                self.stats.submit_retries += 1
                attempt = self._back_off(attempt)
                continue
            if status == 302 and "/kvittering" in location:
                self.stats.submit_seconds.append(time.perf_counter() - started)
                return location
            if status < 500:
                raise RespondentError(f"submit answered {status}: {content[:200]!r}")
            self.stats.server_error_retries += 1
            self.stats.submit_retries += 1
            attempt = self._back_off(attempt)

    def _until_ok(self, method: str, path: str) -> bytes:
        attempt = 0
        while True:
            try:
                status, _location, content = self.client.request(method, path)
            except TransportError:
                self.stats.transport_retries += 1
                attempt = self._back_off(attempt)
                continue
            if status == 200:
                return content
            if status < 500:
                raise RespondentError(f"GET {path} answered {status}")
            self.stats.server_error_retries += 1
            attempt = self._back_off(attempt)

    def _back_off(self, attempt: int) -> int:
        if time.monotonic() > self.deadline:
            raise RespondentError("gave up: the server did not come back before the deadline")
        time.sleep(min(0.02 * 2**attempt, MAX_BACKOFF_SECONDS))
        return attempt + 1


class BodyQueue:
    """Hands each pre-built body to exactly one respondent.

    With `per_second`, response number i is not handed out before i / per_second seconds after
    the first: an open-loop arrival rate, as real respondents arrive whether or not the server
    keeps up (a closed loop of clients that wait for each other only measures saturation).
    """

    def __init__(self, bodies: list[bytes], per_second: float | None = None) -> None:
        self._bodies = bodies
        self._next = 0
        self._lock = threading.Lock()
        self._interval = 1.0 / per_second if per_second else 0.0
        self._started: float | None = None

    def __call__(self) -> bytes | None:
        with self._lock:
            if self._next >= len(self._bodies):
                return None
            body = self._bodies[self._next]
            if self._started is None:
                self._started = time.monotonic()
            due = self._started + self._next * self._interval
            self._next += 1
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        return body


class Prober:
    """Times `/healthz` and `/healthz?db=1` during the load, and samples the load average."""

    def __init__(self, address: tuple[str, int], interval: float = 0.02) -> None:
        self.client = KeepAliveClient(address, timeout=10)
        self.interval = interval
        self.plain_seconds: list[float] = []
        self.database_seconds: list[float] = []
        self.load_averages: list[float] = []
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        import os

        last_sample = 0.0
        while not self._stop.is_set():
            self._time("/healthz", self.plain_seconds)
            self._time("/healthz?db=1", self.database_seconds)
            if time.monotonic() - last_sample >= 1.0:
                self.load_averages.append(os.getloadavg()[0])
                last_sample = time.monotonic()
            self._stop.wait(self.interval)
        self.client.close()

    def _time(self, path: str, into: list[float]) -> None:
        started = time.perf_counter()
        try:
            status, _location, _content = self.client.request("GET", path)
        except TransportError:
            self._stop.wait(0.1)  # the server is down (crash run): try again later
            return
        if status == 200:
            into.append(time.perf_counter() - started)
