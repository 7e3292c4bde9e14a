"""Web Annotation JSON-LD back into Claimlens, checked field by field."""

from __future__ import annotations

from datetime import UTC, datetime

from annotations.interop.webannotation.bodies import parse_bodies
from annotations.interop.webannotation.keeping import (
    ANNOTATION_KEYS,
    SELECTOR_KEYS,
    SOURCE_KEYS,
    TARGET_KEYS,
    checked_uri,
    unkept_keys,
)
from annotations.interop.webannotation.parsed import (
    ParsedAnnotation,
    as_list,
    clean_text,
)
from annotations.interop.webannotation.vocabulary import (
    ANNO_CONTEXT,
    ANNO_CONTEXTS,
    PRIVATE_AUDIENCE,
    WebAnnotationError,
    is_iri,
    motivation_of,
    motivation_term,
)


def _offset(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 2**31:
        raise WebAnnotationError(f"{what} must be a whole number from 0.")
    return value


def parse_datetime(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def parse_selectors(selectors: list, parsed: ParsedAnnotation) -> None:
    understood = False
    for selector in selectors:
        if not isinstance(selector, dict):
            raise WebAnnotationError("A selector must be a JSON object.")
        kinds = as_list(selector.get("type"))
        kind = next((k for k in kinds if k in SELECTOR_KEYS), None)
        if kind is None:
            shown = "/".join(map(str, kinds)) or "unknown"
            parsed.warnings.append(f"the target's selector of type {shown} is not kept")
        else:
            parsed.warnings += unkept_keys(selector, SELECTOR_KEYS[kind], f"the {kind}")
        if "TextQuoteSelector" in kinds:
            exact = clean_text(selector.get("exact"), "The TextQuoteSelector's exact")
            if not exact:
                raise WebAnnotationError("The TextQuoteSelector's exact is empty.")
            parsed.exact = exact
            parsed.prefix = clean_text(selector.get("prefix", ""), "The prefix")
            parsed.suffix = clean_text(selector.get("suffix", ""), "The suffix")
            understood = True
        elif "TextPositionSelector" in kinds:
            start = _offset(selector.get("start"), "The TextPositionSelector's start")
            end = _offset(selector.get("end"), "The TextPositionSelector's end")
            if end < start:
                raise WebAnnotationError("The TextPositionSelector ends before it starts.")
            parsed.start, parsed.end = start, end
            understood = True
    if selectors and not understood:
        raise WebAnnotationError(
            "The target has no TextQuoteSelector or TextPositionSelector, "
            "the only selectors Claimlens can place in an article."
        )
    parsed.has_selector = understood


def parse_target(doc: dict, parsed: ParsedAnnotation) -> None:
    if "target" not in doc:
        raise WebAnnotationError("The annotation has no target.")
    targets = as_list(doc["target"])
    if len(targets) != 1:
        raise WebAnnotationError(
            "Give exactly one target: a Claimlens annotation is on one article."
        )
    target = targets[0]
    if isinstance(target, str):
        parsed.source = clean_text(target, "The target")
        return
    if not isinstance(target, dict):
        raise WebAnnotationError("The target must be an IRI or a JSON object.")
    kept = TARGET_KEYS if "source" in target else TARGET_KEYS | SOURCE_KEYS
    parsed.warnings += unkept_keys(target, kept, "the target")
    source = target.get("source", target)
    if isinstance(source, dict):
        if source is not target:
            parsed.warnings += unkept_keys(source, SOURCE_KEYS, "the target's source")
        title = source.get("schema:name")
        if isinstance(title, str):
            title = clean_text(title, "The source's schema:name", max_length=500)
            parsed.title = " ".join(title.split())
        source = source.get("id")
    if source is not None:
        parsed.source = clean_text(source, "The target's source")
    for scope in as_list(target.get("scope")):
        if is_iri(scope):
            parsed.scope.append(clean_text(scope, "The target's scope", max_length=2000))
        else:
            parsed.warnings.append(f"the target's scope {str(scope)[:80]!r} is not an IRI")
    parse_selectors(as_list(target.get("selector")), parsed)


def _agent(value) -> tuple[str, str]:
    """Return (name, IRI) of a creator given as an IRI, an object or a list of them."""
    agents = as_list(value)
    if not agents:
        return "", ""
    agent = agents[0]
    if isinstance(agent, str):
        return "", agent if is_iri(agent) else ""
    if not isinstance(agent, dict):
        return "", ""
    name = agent.get("nickname") or agent.get("name") or ""
    name = as_list(name)[0] if as_list(name) else ""
    iri = agent.get("id") if is_iri(agent.get("id")) else ""
    return (name if isinstance(name, str) else ""), iri


def parse_visibility(doc: dict, warnings: list[str] | None = None) -> str:
    """Return private or shared; name in warnings any other audience, which is not kept."""
    visibility = "shared"
    for audience in as_list(doc.get("audience")):
        if isinstance(audience, dict) and audience.get("schema:audienceType") == "private":
            visibility = "private"
            if warnings is not None and audience != PRIVATE_AUDIENCE:
                warnings += unkept_keys(audience, frozenset(PRIVATE_AUDIENCE), "the audience")
        elif warnings is not None:
            warnings.append(
                f"the audience {str(audience)[:80]} is not kept (Claimlens knows a private "
                "audience, and shared annotations without one)"
            )
    return visibility


def _motivation(doc: dict, parsed: ParsedAnnotation) -> None:
    """Name the motivation when it is not the one Claimlens writes for what it keeps."""
    if "motivation" not in doc:
        return
    sent = as_list(doc["motivation"])
    ours = motivation_of(
        quoted=not parsed.is_page_note,
        claim=bool(parsed.claim_title or parsed.claim_iri),
        note=bool(parsed.note.strip()),
        bodies=bool(parsed.note or parsed.tags),
    )
    if [motivation_term(m) for m in sent] != [ours]:
        shown = ", ".join(f"“{m}”" for m in map(str, sent)) or "none"
        parsed.warnings.append(
            f"motivation {shown} is not kept: Claimlens writes “{ours}” for an annotation "
            "with these bodies and target (send that motivation, or none)"
        )


def parse_annotation(doc, *, replacing: bool = False) -> ParsedAnnotation:
    """Return what a Web Annotation document says, or raise WebAnnotationError.

    What Claimlens cannot keep is named in the result's warnings. `replacing` (a PUT): the id
    is the annotation's own and via its original's, which the caller compares.
    """
    if not isinstance(doc, dict):
        raise WebAnnotationError("An annotation must be a JSON object.")
    contexts = as_list(doc.get("@context"))
    if contexts and not any(isinstance(c, str) and c in ANNO_CONTEXTS for c in contexts):
        raise WebAnnotationError(f"@context must include {ANNO_CONTEXT}.")
    kinds = as_list(doc.get("type"))
    if "Annotation" not in kinds and "oa:Annotation" not in kinds:
        raise WebAnnotationError("type must be “Annotation”.")
    parsed = ParsedAnnotation()
    parsed.warnings += unkept_keys(doc, ANNOTATION_KEYS, "the annotation")
    parse_target(doc, parsed)
    parse_bodies(doc, parsed)
    _motivation(doc, parsed)
    parsed.visibility = parse_visibility(doc, parsed.warnings)
    parsed.original_id = checked_uri(doc, "id", parsed.warnings)
    parsed.canonical = checked_uri(doc, "canonical", parsed.warnings)
    parsed.via = checked_uri(doc, "via", parsed.warnings)
    if not replacing and parsed.via:
        if parsed.original_id and parsed.original_id != parsed.via:
            parsed.warnings.append(
                f"via “{parsed.via}” is not kept: Claimlens keeps one original IRI, "
                f"here the id “{parsed.original_id}” (send one of them)"
            )
        parsed.original_id = parsed.original_id or parsed.via
    name, iri = _agent(doc.get("creator"))
    parsed.creator_name = clean_text(name, "The creator's name")[:200]
    parsed.creator_iri = clean_text(iri, "The creator's id")[:2000]
    parsed.created = parse_datetime(doc.get("created"))
    return parsed
