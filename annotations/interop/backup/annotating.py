"""Restoring annotations (read from their W3C form), their discussions and the flags on them."""

from __future__ import annotations

from annotations.core.anchoring import anchor_quote, context_of
from annotations.core.notes import note_html, render_reply
from annotations.interop.backup.document import Item, check
from annotations.interop.backup.restoring import (
    Restored,
    create_all,
    described,
    keep_times,
    save_one,
)
from annotations.interop.webannotation import (
    COMMENTING,
    ParsedAnnotation,
    WebAnnotationError,
    as_list,
    parse_datetime,
    parse_target,
    parse_visibility,
)
from annotations.models import Annotation, AnnotationOrigin, Flag, Reply, ReplyOrigin
from articles.models import ArticleRevision

_COMMENTING = {COMMENTING, f"oa:{COMMENTING}", f"http://www.w3.org/ns/oa#{COMMENTING}"}


def _note_of(w3c: dict) -> str:
    """Return the note: the value of the commenting body, as the export wrote it."""
    for body in as_list(w3c.get("body")):
        if isinstance(body, dict) and _COMMENTING & set(as_list(body.get("purpose"))):
            value = body.get("value")
            return value if isinstance(value, str) else ""
    return ""


class _Texts:
    """The text each annotation's selectors count in: its article's, at its revision."""

    def __init__(self):
        self._texts: dict[tuple[int, int], str] = {}

    def of(self, article, number: int) -> str:
        if (article.pk, number) not in self._texts:
            text = (
                ArticleRevision.objects.filter(article=article, number=number)
                .values_list("body_text", flat=True)
                .first()
            )
            self._texts[article.pk, number] = article.body_text if text is None else text
        return self._texts[article.pk, number]


def _place(annotation: Annotation, text: str, item: Item, restored: Restored) -> None:
    """Check the passage is where the selectors say; else find it by its quote, or orphan it.

    It is, unless the article's text reads differently here (another renderer): the quote is
    then looked for as the reader's selections are, and not found, the annotation is kept as
    "could not be placed" for someone to re-attach, as after a revision.
    """
    if not annotation.exact or annotation.start is None or annotation.is_orphan:
        return
    if text[annotation.start : annotation.end] == annotation.exact:
        return
    found = anchor_quote(
        text,
        exact=annotation.exact,
        prefix=annotation.prefix,
        suffix=annotation.suffix,
        start=annotation.start,
        end=annotation.end,
    ).placement
    if found is None:
        annotation.anchor = Annotation.Anchor.ORPHAN
        restored.warnings.append(
            f"{item.what}: its passage is not in the article's text here; kept as an orphan "
            "to re-attach"
        )
        return
    annotation.start, annotation.end = found.start, found.end
    annotation.prefix, annotation.suffix = context_of(text, found.start, found.end)
    annotation.exact = text[found.start : found.end]
    restored.warnings.append(f"{item.what}: placed again by its quote")


def _annotation(w3c: Item, record: Item, restored: Restored, texts: _Texts) -> Annotation:
    parsed = ParsedAnnotation()
    try:
        parse_target(w3c.data, parsed)
    except WebAnnotationError as exc:
        raise w3c.error(str(exc)) from None
    note = _note_of(w3c.data)
    article = restored.row(record, "article", "articles", required=True)
    numbers = restored.revision_numbers.get(record.number("article"), {})
    revision = numbers.get(record.number("revision"), article.revision_number)
    annotation = Annotation(
        article=article,
        author=restored.user(record, "author", required=True),
        exact=parsed.exact,
        prefix=parsed.prefix,
        suffix=parsed.suffix,
        start=parsed.start,
        end=parsed.end,
        revision_number=revision,
        note=note,
        note_html=note_html(note),
        claim=restored.row(record, "claim", "claims"),
        visibility=parse_visibility(w3c.data),
        anchor=record.text("anchor", Annotation.Anchor.EXACT),
        anchor_score=record.real("anchorScore", 1.0),
        original_exact=record.text("originalExact", ""),
        version=record.number("version", 1),
        deleted_at=record.moment("deleted"),
        hidden_at=record.moment("hidden"),
        hidden_by=restored.user(record, "hiddenBy"),
    )
    record.apply_other_fields(annotation)
    check(annotation, record)
    _place(annotation, texts.of(article, revision), record, restored)
    return annotation


def _imported_fields(item: Item, restored: Restored) -> dict:
    """Return an origin's fields every imported thing has (models.provenance.Imported)."""
    return {
        "creator_name": item.text("creatorName", ""),
        "creator_iri": item.text("creatorIri", ""),
        "created": item.moment("created"),
        "imported_by": restored.user(item, "importedBy"),
    }


def _checked(origin, item: Item):
    """Return a checked unsaved origin, and when it was imported (auto_now_add on save)."""
    item.apply_other_fields(origin)
    check(origin, item)
    return origin, {"imported_at": item.moment("imported")}


def _origin(annotation: Annotation, record: Item, restored: Restored):
    data = record.mapping("origin")
    if data is None:
        return None
    item = Item(data, f"{record.what}, its origin")
    origin = AnnotationOrigin(
        annotation=annotation,
        format=item.text("format", AnnotationOrigin.Format.W3C),
        original_id=item.text("originalId", ""),
        canonical=item.text("canonical", ""),
        **_imported_fields(item, restored),
    )
    return _checked(origin, item)


def _reply_origin(reply: Reply, record: Item, restored: Restored):
    """Return the unsaved origin of an imported reply, and when it was imported."""
    data = record.mapping("origin")
    if data is None:
        return None
    item = Item(data, f"{record.what}, its origin")
    origin = ReplyOrigin(
        reply=reply,
        format=item.text("format", AnnotationOrigin.Format.HYPOTHESIS),
        external_id=item.text("externalId"),
        **_imported_fields(item, restored),
    )
    return _checked(origin, item)


def restore_annotations(doc: dict, restored: Restored) -> None:
    """Create each annotation from its Web Annotation and the record beside it."""
    backup = Item(doc, "the backup")
    collection = Item(backup.mapping("annotations") or {}, "the annotations collection")
    page = Item(collection.mapping("first") or {}, "the annotations collection's page")
    records: dict[str, Item] = {}
    for index, data in enumerate(backup.objects("annotationRecords")):
        record = Item(data, described("annotation", data, index))
        records[record.text("annotation")] = record
    texts = _Texts()
    rows: list[tuple[Annotation, Item, dict]] = []
    for index, data in enumerate(page.objects("items")):
        w3c = Item(data, described("annotation", data, index, "id"))
        record = records.pop(w3c.text("id"), None)
        if record is None:
            raise w3c.error("it has no record in annotationRecords")
        moments = {
            "created_at": parse_datetime(data.get("created")),
            "updated_at": parse_datetime(data.get("modified")),
        }
        rows.append((_annotation(w3c, record, restored, texts), record, moments))
    if records:
        first = next(iter(records.values()))
        raise first.error(f"it has a record but no Web Annotation ({len(records)} such)")
    # In the order they were made, as their ids there say: lists that break ties by id agree.
    rows.sort(key=lambda row: row[1].number("pk"))
    create_all(Annotation, [annotation for annotation, _, _ in rows])
    through = Annotation.labels.through
    links, origins = [], []
    for annotation, record, _ in rows:
        restored.annotations[record.number("pk")] = annotation
        for pk in record.objects("labels"):
            label = restored.labels.get(pk)
            if label is None:
                raise record.error(f"its label {pk!r} is not in the backup")
            links.append(through(annotation_id=annotation.pk, label_id=label.pk))
        origin = _origin(annotation, record, restored)
        if origin is not None:
            origins.append(origin)
    through.objects.bulk_create(links, batch_size=500)
    create_all(AnnotationOrigin, [origin for origin, _ in origins])
    keep_times(Annotation, [(annotation, moments) for annotation, _, moments in rows])
    keep_times(AnnotationOrigin, origins)
    restored.counts["annotations"] += len(rows)
    restored.counts["annotation origins"] += len(origins)


def restore_replies(doc: dict, restored: Restored) -> None:
    """Create each reply under its annotation or claim, answers after what they answer."""
    replies, times, mentions, origins = [], [], [], []
    through = Reply.mentions.through
    for index, data in enumerate(Item(doc, "the backup").objects("replies")):
        item = Item(data, described("reply", data, index))
        annotation = restored.row(item, "annotation", "annotations")
        claim = restored.row(item, "claim", "claims")
        if (annotation is None) == (claim is None):
            raise item.error("a reply is on one annotation or on one claim")
        parent_pk = item.number("parent", None)
        parent = restored.replies.get(parent_pk) if parent_pk is not None else None
        if parent_pk is not None and parent is None:
            raise item.error(f"it answers reply {parent_pk}, which comes nowhere before it")
        body = item.text("body")
        reply = Reply(
            annotation=annotation,
            claim=claim,
            parent=parent,
            author=restored.user(item, "author", required=True),
            body=body,
            body_html=render_reply(body)[0],
            version=item.number("version", 1),
            deleted_at=item.moment("deleted"),
            hidden_at=item.moment("hidden"),
            hidden_by=restored.user(item, "hiddenBy"),
        )
        item.apply_other_fields(reply)
        save_one(reply, item, "it cannot be stored")
        restored.replies[item.number("pk")] = reply
        origin = _reply_origin(reply, item, restored)
        if origin is not None:
            save_one(origin[0], item, "its origin cannot be stored")
            origins.append(origin)
        for name in item.objects("mentions"):
            user = restored.users.get(name) if isinstance(name, str) else None
            if user is None:
                raise item.error(f"it mentions {name!r}, who is not among the backup's users")
            mentions.append(through(reply_id=reply.pk, user_id=user.pk))
        replies.append(reply)
        times.append(
            (reply, {"created_at": item.moment("created"), "updated_at": item.moment("modified")})
        )
    through.objects.bulk_create(mentions, batch_size=500)
    keep_times(Reply, times)
    keep_times(ReplyOrigin, origins)
    restored.counts["replies"] += len(replies)


def restore_flags(doc: dict, restored: Restored) -> None:
    """Create each flag on its annotation or reply, open or resolved as it was."""
    flags, times = [], []
    for index, data in enumerate(Item(doc, "the backup").objects("flags")):
        item = Item(data, described("flag", data, index))
        annotation = restored.row(item, "annotation", "annotations")
        reply = restored.row(item, "reply", "replies")
        if (annotation is None) == (reply is None):
            raise item.error("a flag is on one annotation or on one reply")
        flag = Flag(
            annotation=annotation,
            reply=reply,
            reporter=restored.user(item, "reporter", required=True),
            reason=item.text("reason"),
            resolved_at=item.moment("resolved"),
            resolved_by=restored.user(item, "resolvedBy"),
            resolution=item.text("resolution", ""),
        )
        item.apply_other_fields(flag)
        check(flag, item)
        flags.append(flag)
        times.append((flag, {"created_at": item.moment("created")}))
    create_all(Flag, flags)
    keep_times(Flag, times)
    restored.counts["flags"] += len(flags)
