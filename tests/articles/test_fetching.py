import socket
import time

import pytest

from articles.fetching import FetchFailed, address_refusal, check_url, fetch_url

MB = 1024 * 1024


def test_fetches_a_page_with_its_type_and_charset(web_server):
    page = fetch_url(f"{web_server}/article.html")
    assert b"Tidewater ferry fares" in page.body
    assert (page.content_type, page.charset, page.format) == ("text/html", "utf-8", "html")


def test_follows_a_redirect_and_reports_where_it_ended(web_server):
    page = fetch_url(f"{web_server}/redirect")
    assert page.url == f"{web_server}/article.html"
    assert b"Tidewater" in page.body


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ("/redirect-private", "10.0.0.1"),
        ("/redirect-metadata", "169.254.169.254"),
        ("/redirect-file", "only http and https"),
    ],
)
def test_a_redirect_is_checked_like_the_first_url(web_server, route, reason):
    with pytest.raises(FetchFailed) as failure:
        fetch_url(f"{web_server}{route}")
    assert reason in str(failure.value)


def test_a_redirect_to_a_private_address_names_the_kind_of_address(web_server):
    with pytest.raises(FetchFailed, match="resolves to a private address"):
        fetch_url(f"{web_server}/redirect-private")
    with pytest.raises(FetchFailed, match="link-local"):
        fetch_url(f"{web_server}/redirect-metadata")


def test_gives_up_after_five_redirects(web_server):
    with pytest.raises(FetchFailed, match="redirects more than 5 times"):
        fetch_url(f"{web_server}/loop")


def test_a_server_that_does_not_answer_times_out(web_server, settings):
    settings.CLAIMLENS_FETCH_TIMEOUT = 0.5
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="did not answer within 0.5 seconds"):
        fetch_url(f"{web_server}/slow")
    assert time.monotonic() - started < 2


def test_a_trickling_server_cannot_outlast_the_deadline(web_server, settings):
    # One byte every 0.1 s never trips a per-read timeout; only the overall deadline stops it.
    settings.CLAIMLENS_FETCH_TIMEOUT = 0.6
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="did not answer within"):
        fetch_url(f"{web_server}/trickle")
    assert time.monotonic() - started < 2


def test_stops_reading_past_the_size_cap_when_no_length_is_declared(web_server, settings):
    settings.CLAIMLENS_IMPORT_MAX_BYTES = 1 * MB
    with pytest.raises(FetchFailed, match="larger than the 1.0 MB limit"):
        fetch_url(f"{web_server}/big")


def test_refuses_a_declared_oversized_page_before_reading_it(web_server, settings):
    settings.CLAIMLENS_IMPORT_MAX_BYTES = 1 * MB
    with pytest.raises(FetchFailed, match=r"the page is 2\.0 MB, more than the 1\.0 MB limit"):
        fetch_url(f"{web_server}/big-declared")


def test_refuses_binary_content_types(web_server):
    with pytest.raises(FetchFailed, match="not a web page or text .*image/png"):
        fetch_url(f"{web_server}/image.png")


def test_reports_http_errors(web_server):
    with pytest.raises(FetchFailed, match="answered 404"):
        fetch_url(f"{web_server}/missing")


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://ftp.example.org/article.txt", "gopher://x.example/", "/relative"],
)
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchFailed, match="only http and https URLs can be imported"):
        check_url(url)


def test_urls_with_credentials_are_refused():
    with pytest.raises(FetchFailed, match="user name or password"):
        check_url("http://admin:secret@news.example/")


def test_loopback_is_refused_unless_tests_allow_it(web_server, settings):
    settings.CLAIMLENS_FETCH_ALLOW_PRIVATE = False
    port = web_server.rsplit(":", 1)[1]
    with pytest.raises(FetchFailed, match=r"resolves to a loopback address \(127\.0\.0\.1\)"):
        fetch_url(f"{web_server}/article.html")
    # A name is resolved first, so a host name pointing at loopback is refused too.
    with pytest.raises(FetchFailed, match="loopback"):
        fetch_url(f"http://localhost:{port}/article.html")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("224.0.0.1", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),  # noqa: S104 - the address under test
        ("240.0.0.1", "a private address"),  # reserved (Python counts it as private too)
        ("100.64.0.1", "a non-public address"),  # carrier-grade NAT
        ("::ffff:10.0.0.1", "a private address"),  # IPv4-mapped IPv6
        ("fd00::1", "a private address"),
        ("2002:a00:1::1", "a private address"),  # 6to4 carrying 10.0.0.1
        ("64:ff9b::a9fe:a9fe", "a link-local address"),  # NAT64 carrying 169.254.169.254
        ("64:ff9b::5db8:d822", None),  # NAT64 carrying a public address
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("93.184.216.34", None),
        ("2606:2800:220:1:248:1893:25c8:1946", None),
    ],
)
def test_address_refusal(address, kind):
    assert address_refusal(address) == kind


def test_every_resolved_address_must_be_public(monkeypatch):
    def two_answers(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", two_answers)
    with pytest.raises(FetchFailed, match=r"news\.example resolves to a private address"):
        fetch_url("https://news.example/story")


def test_connects_to_the_address_it_checked_and_sends_the_host_name(web_server, monkeypatch):
    port = int(web_server.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    lookups = []

    def resolve(host, *args, **kwargs):
        lookups.append(host)
        return real("127.0.0.1" if host == "news.example" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    page = fetch_url(f"http://news.example:{port}/host")
    assert f"news.example:{port}".encode() in page.body
    # Resolved once, by the check; the connection used the checked address, not a new lookup.
    assert lookups.count("news.example") == 1


def test_an_unknown_host_is_reported():
    with pytest.raises(FetchFailed, match="could not be resolved"):
        fetch_url("http://no-such-host.invalid/")
