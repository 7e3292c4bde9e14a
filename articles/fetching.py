"""Fetch a web page to import, without letting the server be turned against its own network.

Only http and https are fetched. The host name is resolved here and every address it resolves
to must be public (not private, loopback, link-local, multicast, reserved or unspecified); the
connection then goes to the address that was checked, so a second DNS answer cannot swap in
another. Redirects are followed by hand, at most MAX_REDIRECTS, each one checked the same way.
The whole fetch has one deadline (CLAIMLENS_FETCH_TIMEOUT) and the body is read in chunks and
abandoned past CLAIMLENS_IMPORT_MAX_BYTES.

CLAIMLENS_FETCH_ALLOW_PRIVATE lets tests fetch from a server they run on loopback; it allows
loopback addresses only, so the other refusals stay testable.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from .importers import HTML, JSON, MD, format_size

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
NAT64 = ipaddress.ip_network("64:ff9b::/96")
USER_AGENT = "Claimlens/1.0 (article import; +https://github.com/claimlens)"
CHUNK_BYTES = 64 * 1024
# Content types the importers can read, and the format each one means (None: sniff it).
CONTENT_TYPES = {
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "text/markdown": MD,
    "text/x-markdown": MD,
    "application/json": JSON,
    "text/json": JSON,
    "text/plain": None,
}


class FetchFailed(Exception):
    """A URL could not be fetched; the message says why, for the person importing."""


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    body: bytes
    content_type: str
    charset: str | None
    format: str | None  # what the content type says the body is; None to sniff it
    status: int = 200  # or 304 Not Modified, to a conditional GET (then the body is empty)
    etag: str = ""
    last_modified: str = ""


# What a feed may be served as (articles.feeds), besides the text types.
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml"}


def fetch_url(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
    headers: dict[str, str] | None = None,
    feed: bool = False,
) -> FetchedPage:
    """Fetch a page from a public http(s) address within a deadline and a size cap.

    `headers` are sent too (If-None-Match, If-Modified-Since: a 304 answer is then a page
    with status 304 and no body); `feed` accepts the XML types feeds are served as.
    """
    timeout = settings.CLAIMLENS_FETCH_TIMEOUT if timeout is None else timeout
    max_bytes = settings.CLAIMLENS_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    deadline = time.monotonic() + timeout
    try:
        for _ in range(MAX_REDIRECTS + 1):
            connection = _connect(url, deadline=deadline)
            sock = connection.sock  # kept: the connection lets go of it once the body is read
            try:
                response = _get(connection, url, headers or {}, feed=feed)
                location = response.getheader("Location")
                if response.status in REDIRECT_STATUSES and location:
                    url = urljoin(url, location.strip())
                    continue
                if response.status == 304 and headers:
                    return FetchedPage(url, b"", "", None, None, status=304)
                return _page(url, response, sock, deadline=deadline, max_bytes=max_bytes, feed=feed)
            finally:
                connection.close()
    except TimeoutError:
        raise FetchFailed(f"the server did not answer within {timeout:g} seconds") from None
    except ssl.SSLError as error:
        raise FetchFailed(f"the secure connection failed ({error.reason or error})") from None
    except (OSError, http.client.HTTPException) as error:
        raise FetchFailed(
            f"the page could not be fetched ({str(error) or type(error).__name__})"
        ) from None
    raise FetchFailed(f"the page redirects more than {MAX_REDIRECTS} times")


def check_url(url: str) -> tuple[str, str, int]:
    """Return the scheme, host and port of a URL that may be fetched, or refuse it."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchFailed("this is not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FetchFailed(f"only http and https URLs can be imported (this one has {shown})")
    if not parts.hostname:
        raise FetchFailed("the URL has no host name")
    if parts.username or parts.password:
        raise FetchFailed("URLs with a user name or password are not fetched")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def public_addresses(host: str, port: int) -> list[str]:
    """Return the addresses a host resolves to, refusing it unless every one is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchFailed(f"the host name {host!r} could not be resolved") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchFailed(f"the host name {host!r} could not be resolved")
    for address in addresses:
        reason = address_refusal(address)
        if reason:
            raise FetchFailed(f"{host} resolves to {reason} ({address}), which is not fetched")
    return addresses


def address_refusal(address: str) -> str | None:
    """Return what kind of non-public address this is, or None if it may be fetched."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv4-mapped, 6to4 and NAT64 addresses reach the IPv4 address they carry.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_refusal(str(embedded))
    if ip.is_loopback:
        return None if settings.CLAIMLENS_FETCH_ALLOW_PRIVATE else "a loopback address"
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "a non-public address"),
    )
    return next((label for failed, label in checks if failed), None)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address already checked, whatever DNS answers next."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address that still verifies the host's certificate."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connect(url: str, *, deadline: float) -> http.client.HTTPConnection:
    scheme, host, port = check_url(url)
    address = public_addresses(host, port)[0]
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=_remaining(deadline))
    connection.connect()
    return connection


def _get(
    connection: http.client.HTTPConnection, url: str, extra: dict[str, str], *, feed: bool
) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    accept = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"
    if feed:
        accept = "application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.1"
    connection.request(
        "GET",
        target,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": accept,
            "Accept-Encoding": "identity",
            **{name: value for name, value in extra.items() if value},
        },
    )
    return connection.getresponse()


def _page(
    url: str,
    response: http.client.HTTPResponse,
    sock: socket.socket,
    *,
    deadline: float,
    max_bytes: int,
    feed: bool = False,
) -> FetchedPage:
    if response.status >= 400:
        raise FetchFailed(f"the server answered {response.status} {response.reason}".rstrip())
    if response.status != 200:
        raise FetchFailed(f"the server answered {response.status} instead of the page")
    header = Message()
    header["Content-Type"] = response.getheader("Content-Type") or ""
    content_type = header.get_content_type() if header["Content-Type"] else ""
    allowed = content_type in CONTENT_TYPES or (feed and content_type in FEED_TYPES)
    if content_type and not allowed and not content_type.startswith("text/"):
        raise FetchFailed(f"this is not a web page or text (its content type is {content_type})")
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise FetchFailed(
            f"the page is {format_size(int(declared))}, more than the "
            f"{format_size(max_bytes)} limit"
        )
    chunks, total = [], 0
    while True:
        # A server trickling bytes must not outlast the deadline: each read gets what is left.
        sock.settimeout(_remaining(deadline))
        chunk = response.read1(CHUNK_BYTES)
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise FetchFailed(f"the page is larger than the {format_size(max_bytes)} limit")
        chunks.append(chunk)
    return FetchedPage(
        url=url,
        body=b"".join(chunks),
        content_type=content_type,
        charset=header.get_param("charset") if header["Content-Type"] else None,
        format=CONTENT_TYPES.get(content_type),
        etag=response.getheader("ETag") or "",
        last_modified=response.getheader("Last-Modified") or "",
    )


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    return remaining
