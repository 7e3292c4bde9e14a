"""Read documents as a JSON-LD processor does (pyld), with the contexts loaded from local files.

`meaning_lost(doc)` expands a document and lists what a Linked Data reader would not get:
every IRI left relative (a term no context defines, read against the document's address) and
every key or value expansion drops (a key that is no term, a value of no known kind). A
document whose list is empty means to a JSON-LD processor all that it says as JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from pyld import jsonld

from annotations.interop.webannotation import ANNO_CONTEXT, LDP_CONTEXT
from annotations.interop.webannotation.vocabulary import OA
from tests.conftest import shared_path

# The W3C context is the conformance suite's copy; of the LDP context, the terms the API uses.
CONTEXTS = {
    ANNO_CONTEXT: shared_path("conformance", "w3c-annotation") / "anno.jsonld",
    LDP_CONTEXT: Path(__file__).resolve().parent / "contexts" / "ldp.jsonld",
}
# A document read at this address shows every relative IRI under it.
BASE = "https://relative-iri.invalid/"


def load_context(url: str, options=None) -> dict:
    """Return a context from its local copy: the network is never asked."""
    path = CONTEXTS.get(url.replace("https://", "http://", 1))
    if path is None:
        raise LookupError(f"no local copy of the context {url}")
    document = json.loads(path.read_text(encoding="utf-8"))
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": document,
    }


OPTIONS = {"documentLoader": load_context, "base": BASE}


def expand(doc: dict) -> list:
    return jsonld.expand(doc, OPTIONS)


def _relative_iris(node, found: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("@id", "@type") or (key == "@vocab"):
                for iri in value if isinstance(value, list) else [value]:
                    if isinstance(iri, str) and iri.startswith(BASE):
                        found.append(iri.removeprefix(BASE))
            elif key.startswith(BASE):
                found.append(key.removeprefix(BASE))
            _relative_iris(value, found)
    elif isinstance(node, list):
        for item in node:
            _relative_iris(item, found)


def _shape(node):
    """Return node as plain JSON compares it: no @context, no null, a lone item not listed."""
    if isinstance(node, dict):
        return {k: _shape(v) for k, v in node.items() if k != "@context" and v is not None}
    if isinstance(node, list):
        items = [_shape(item) for item in node]
        return items[0] if len(items) == 1 else items
    return node


def _differences(sent, read, path: str, found: list[str]) -> None:
    if isinstance(sent, dict) and isinstance(read, dict):
        for key in sent:
            if key not in read:
                found.append(f"{path}/{key} dropped")
            else:
                _differences(sent[key], read[key], f"{path}/{key}", found)
    elif isinstance(sent, list) and isinstance(read, list) and len(sent) == len(read):
        for number, (a, b) in enumerate(zip(sent, read, strict=True)):
            _differences(a, b, f"{path}/{number}", found)
    elif sent != read:
        found.append(f"{path} {sent!r} read as {read!r}")


def meaning_lost(doc: dict, *, whole: bool = True) -> list[str]:
    """Return each relative IRI and (`whole`) each dropped or changed part of doc, expanded.

    The parts are compared by compacting with the document's own context, so `whole` needs a
    document whose nested objects bring no context of their own.
    """
    expanded = expand(doc)
    found: list[str] = [f"relative IRI {iri}" for iri in _relative_iris_of(expanded)]
    if not whole:
        return found
    # What expansion keeps comes back when compacted with the document's own context.
    compacted = jsonld.compact(expanded, {"@context": doc["@context"]}, OPTIONS)
    _differences(_shape(doc), _shape(compacted), "", found)
    return found


def _relative_iris_of(expanded) -> list[str]:
    found: list[str] = []
    _relative_iris(expanded, found)
    return found


def oa_terms(expanded, predicate: str) -> list[str]:
    """Return every IRI given to an oa: predicate (motivatedBy, hasPurpose) in expanded."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for value in node.get(OA + predicate, []):
                found.append(value.get("@id"))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(expanded)
    return found
