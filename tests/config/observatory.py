"""Mozilla HTTP Observatory's scoring, for responses from Django's test client.

The rules and points follow mdn/mdn-http-observatory (src/analyzer/tests/*.js, the score table
in src/grader/charts.js, the sum in src/scanner/index.js): every site starts at 100, each test
adds its modifier, bonuses count only if the score without them is at least 90, and 100 or
more is an A+. Only what a header-level scan of one site needs is here (no preload lists, no
certificate checks: the test client speaks neither).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

SIX_MONTHS = 15_552_000
DANGEROUSLY_BROAD = {
    "ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*",
}  # fmt: skip
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
NONCES_HASHES = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")
PASSIVE = ("img-src", "media-src")

MODIFIERS = {
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-not-found": 0,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    "redirection-to-https": 0,
    "redirection-not-needed-no-http": 0,
    "redirection-off-host-from-http": -5,
    "redirection-not-to-https-on-initial-redirection": -10,
    "redirection-not-to-https": -20,
    "redirection-missing": -20,
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-implemented-and-external-scripts-loaded-securely": 5,
    "sri-not-implemented-response-not-html": 0,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 0,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    "corp-implemented-with-same-origin": 10,
    "corp-implemented-with-same-site": 10,
    "corp-implemented-with-cross-origin": 0,
    "corp-not-implemented": 0,
    "corp-header-invalid": -5,
}


@dataclass
class Scan:
    """What the Observatory fetches: the https page (after redirects), the http route, cookies."""

    url: str  # the final https URL
    headers: dict[str, list[str]]  # lower-case name -> values of the final https response
    body: str
    http_route: list[str]  # URLs from the first http:// request to where it ended
    cookies: list[dict] = field(default_factory=list)  # name, secure, httponly, samesite

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None


def parse_csp(values: list[str]) -> dict[str, set[str]]:
    """Return a policy as {directive: sources}; raise ValueError if it cannot be read."""
    policy: dict[str, set[str]] = {}
    for value in values:
        for part in value.split(";"):
            words = part.strip().split()
            if not words:
                continue
            directive = words[0].lower()
            if directive in policy:
                raise ValueError(f"{directive} given twice")
            policy[directive] = {w if w.startswith("'nonce-") else w.lower() for w in words[1:]}
    if not policy:
        raise ValueError("empty policy")
    return policy


def csp_test(scan: Scan) -> tuple[str, dict[str, set[str]]]:
    values = [
        v.strip() for raw in scan.headers.get("content-security-policy", []) for v in raw.split(",")
    ]
    if not values:
        return "csp-not-implemented", {}
    try:
        csp = parse_csp(values)
    except ValueError:
        return "csp-header-invalid", {}
    default = csp.get("default-src")
    object_src = set(csp.get("object-src") or default or {"*"})
    script_src = set(csp.get("script-src") or default or {"*"})
    style_src = set(csp.get("style-src") or default or {"*"})
    for sources in (script_src, style_src):
        if any(s.startswith(NONCES_HASHES) for s in sources):
            sources.discard("'unsafe-inline'")
    if any(s.startswith(NONCES_HASHES) for s in script_src) and "'strict-dynamic'" in script_src:
        script_src = {
            s for s in script_src
            if s not in {"'self'", "'unsafe-inline'"} and not s.startswith(tuple(DANGEROUSLY_BROAD))
        }  # fmt: skip
    elif "'strict-dynamic'" in script_src:
        return "csp-header-invalid", csp
    active = [s for d, srcs in csp.items() if d not in PASSIVE and d != "script-src" for s in srcs]
    active += list(script_src)
    passive = [s for d in PASSIVE for s in (csp.get(d) or default or set())]
    https = scan.url.startswith("https:")

    if script_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE) or object_src & DANGEROUSLY_BROAD:
        return "csp-implemented-with-unsafe-inline", csp
    if https and any(s.startswith(("http:", "ftp:")) for s in active):
        return "csp-implemented-with-insecure-scheme", csp
    if "'unsafe-eval'" in script_src | style_src:
        return "csp-implemented-with-unsafe-eval", csp
    if https and any(s.startswith(("http:", "ftp:")) for s in passive):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only", csp
    if style_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE):
        return "csp-implemented-with-unsafe-inline-in-style-src-only", csp
    if default == {"'none'"}:
        return "csp-implemented-with-no-unsafe-default-src-none", csp
    return "csp-implemented-with-no-unsafe", csp


def hsts_test(scan: Scan) -> str:
    header = scan.header("strict-transport-security")
    if header is None:
        return "hsts-not-implemented"
    if "," in header:
        return "hsts-header-invalid"
    max_age = None
    for parameter in header.split(";"):
        parameter = parameter.strip().lower()
        if parameter.startswith("max-age="):
            try:
                max_age = int(parameter[8:])
            except ValueError:
                return "hsts-header-invalid"
    if max_age is None:
        return "hsts-header-invalid"
    return (
        "hsts-implemented-max-age-at-least-six-months"
        if max_age >= SIX_MONTHS
        else "hsts-implemented-max-age-less-than-six-months"
    )


def cookies_test(scan: Scan, hsts_ok: bool) -> str:
    if not scan.cookies:
        return "cookies-not-found"
    order = [  # worst last, as onlyIfWorse ranks them
        "cookies-without-secure-flag-but-protected-by-hsts",
        "cookies-without-secure-flag",
        "cookies-session-without-secure-flag-but-protected-by-hsts",
        "cookies-samesite-flag-invalid",
        "cookies-anticsrf-without-samesite-flag",
        "cookies-session-without-httponly-flag",
        "cookies-session-without-secure-flag",
    ]
    result = None

    def worse(candidate):
        nonlocal result
        if result is None or order.index(candidate) > order.index(result):
            result = candidate

    missing_samesite = False
    for cookie in scan.cookies:
        name = cookie["name"].lower()
        session = "login" in name or "sess" in name
        samesite = (cookie.get("samesite") or "").lower()
        if samesite and samesite not in {"lax", "strict", "none"}:
            worse("cookies-samesite-flag-invalid")
        if not cookie["secure"] and samesite == "none":
            worse("cookies-samesite-flag-invalid")
        if not cookie["secure"]:
            worse(
                "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts_ok
                else "cookies-without-secure-flag"
            )
        if "csrf" in name and not samesite:
            worse("cookies-anticsrf-without-samesite-flag")
        if session and not cookie["secure"]:
            worse(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if hsts_ok
                else "cookies-session-without-secure-flag"
            )
        if session and not cookie["httponly"]:
            worse("cookies-session-without-httponly-flag")
        missing_samesite = missing_samesite or not samesite
    if result:
        return result
    if missing_samesite:
        return "cookies-secure-with-httponly-sessions"
    return "cookies-secure-with-httponly-sessions-and-samesite"


def cors_test(scan: Scan) -> str:
    origin = scan.header("access-control-allow-origin")
    if origin is None:
        return "cross-origin-resource-sharing-not-implemented"
    if origin.strip() == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access"
    return "cross-origin-resource-sharing-implemented-with-restricted-access"


def redirection_test(scan: Scan) -> str:
    route = [urlsplit(url) for url in scan.http_route]
    if not route:
        return "redirection-not-needed-no-http"
    if len(route) == 1:
        return "redirection-missing"
    if route[-1].scheme != "https":
        return "redirection-not-to-https"
    if route[1].scheme == "http":
        return "redirection-not-to-https-on-initial-redirection"
    if route[0].hostname != route[1].hostname:
        return "redirection-off-host-from-http"
    return "redirection-to-https"


def referrer_test(scan: Scan) -> str:
    good = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]
    bad = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"]
    values = scan.headers.get("referrer-policy", [])
    if not values:
        return "referrer-policy-not-implemented"
    policies = [p.strip().lower() for p in ", ".join(values).split(",")]
    valid = [p for p in policies if p in good + bad]
    if valid and valid[-1] in good:
        return "referrer-policy-private"
    if valid:
        return "referrer-policy-unsafe"
    return "referrer-policy-header-invalid"


def sri_test(scan: Scan) -> str:
    content_type = (scan.header("content-type") or "").split(";")[0].strip()
    if content_type and content_type != "text/html":
        return "sri-not-implemented-response-not-html"
    scripts = lxml_html.fromstring(scan.body).xpath("//script")
    if not scripts:
        return "sri-not-implemented-but-no-scripts-loaded"
    host = urlsplit(scan.url).hostname
    result = None
    foreign = False
    for script in scripts:
        src = script.get("src")
        if not src:
            continue
        absolute = urlsplit(urljoin(scan.url, src))
        same = not src.startswith("//") and absolute.hostname == host
        if same:
            if script.get("integrity") and absolute.scheme == "https" and result is None:
                result = "sri-implemented-and-all-scripts-loaded-securely"
            continue
        foreign = True
        secure = absolute.scheme == "https" and not src.startswith("//")
        if not script.get("integrity"):
            return (
                "sri-not-implemented-but-external-scripts-loaded-securely"
                if secure
                else "sri-not-implemented-and-external-scripts-not-loaded-securely"
            )
    if result:
        return result
    return (
        "sri-implemented-and-external-scripts-loaded-securely"
        if foreign
        else "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    )


def xcto_test(scan: Scan) -> str:
    header = scan.header("x-content-type-options")
    if header is None:
        return "x-content-type-options-not-implemented"
    if header.strip().lower() == "nosniff":
        return "x-content-type-options-nosniff"
    return "x-content-type-options-header-invalid"


def xfo_test(scan: Scan, csp: dict[str, set[str]]) -> str:
    if csp.get("frame-ancestors"):
        return "x-frame-options-implemented-via-csp"
    header = scan.header("x-frame-options")
    if header is None:
        return "x-frame-options-not-implemented"
    value = header.strip().lower()
    if value in {"deny", "sameorigin"}:
        return "x-frame-options-sameorigin-or-deny"
    if value.startswith("allow-from"):
        return "x-frame-options-allow-from-origin"
    return "x-frame-options-header-invalid"


def corp_test(scan: Scan) -> str:
    header = scan.header("cross-origin-resource-policy")
    if header is None:
        return "corp-not-implemented"
    return {
        "same-origin": "corp-implemented-with-same-origin",
        "same-site": "corp-implemented-with-same-site",
        "cross-origin": "corp-implemented-with-cross-origin",
    }.get(header.strip().lower(), "corp-header-invalid")


def grade(score: int) -> str:
    chart = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"),
             (60, "C+"), (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-")]  # fmt: skip
    return next((letter for floor, letter in chart if score >= floor), "F")


def score(scan: Scan) -> tuple[int, str, dict[str, str]]:
    """Return (score, grade, {test: result}) as the Observatory computes them."""
    csp_result, csp = csp_test(scan)
    hsts = hsts_test(scan)
    results = {
        "content-security-policy": csp_result,
        "cookies": cookies_test(scan, hsts_ok=hsts.endswith("at-least-six-months")),
        "cross-origin-resource-sharing": cors_test(scan),
        "redirection": redirection_test(scan),
        "referrer-policy": referrer_test(scan),
        "strict-transport-security": hsts,
        "subresource-integrity": sri_test(scan),
        "x-content-type-options": xcto_test(scan),
        "x-frame-options": xfo_test(scan, csp),
        "cross-origin-resource-policy": corp_test(scan),
    }
    modifiers = [MODIFIERS[result] for result in results.values()]
    uncurved = 100 + sum(m for m in modifiers if m < 0)
    total = 100 + sum(modifiers) if uncurved >= 90 else uncurved
    total = max(total, 0)
    return total, grade(total), results


def cookies_from(responses) -> list[dict]:
    """Return the cookies the responses set, with the flags the Observatory reads."""
    found = {}
    for response in responses:
        for morsel in response.cookies.values():
            found[morsel.key] = {
                "name": morsel.key,
                "secure": bool(morsel["secure"]),
                "httponly": bool(morsel["httponly"]),
                "samesite": morsel["samesite"] or None,
            }
    return list(found.values())
