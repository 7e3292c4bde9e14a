"""OPML, the list of feeds other readers import and export."""

from __future__ import annotations

from xml.etree import ElementTree as ET  # noqa: S405 - only to write; reading uses lxml below

from lxml import etree

from .models import Feed


def feeds_to_opml(feeds) -> bytes:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "Claimlens feeds"
    body = ET.SubElement(root, "body")
    for feed in feeds:
        ET.SubElement(
            body, "outline", type="rss", text=feed.title or feed.url, title=feed.title,
            xmlUrl=feed.url,
        )  # fmt: skip
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def feeds_from_opml(data: bytes) -> list[tuple[str, str]]:
    """Return (title, URL) for every feed outline; ValueError if this is not OPML."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"this is not an OPML file ({error})") from None
    if root.tag != "opml":
        raise ValueError("this is not an OPML file (its root is not <opml>)")
    found = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if url.startswith(("http://", "https://")):
            found.append(((outline.get("title") or outline.get("text") or "")[:300], url))
    return found


def import_opml(data: bytes, *, user=None) -> tuple[int, int]:
    """Subscribe to each feed of an OPML file not yet followed; return (added, already)."""
    added = already = 0
    for title, url in feeds_from_opml(data):
        _feed, created = Feed.objects.get_or_create(
            url=url[:2000], defaults={"title": title, "created_by": user}
        )
        added, already = added + created, already + (not created)
    return added, already
