"""Backups of the claim work that lose nothing: one JSON-LD document, written and read back.

`manage.py dump_claimwork` writes it (and editors download it from the claims' admin list);
`manage.py load_claimwork` restores it into a database without claim work, whatever its
article ids and its address. The document (type ClaimworkBackup, formatVersion 1):

    users              accounts by username: names, groups (roles), active; the e-mail address
                       in a complete backup only. Never a password or a staff flag.
    articles           every article, by its original URL (its `id`, as in the W3C export), with
                       its details and every revision's text as written (Markdown), unless
                       written --without-articles
    labels             tags and claim statuses, by slug
    claims             title, claimant and its type, status, rationale, final verdict (when and
                       by whom), assignee, evidence, each collaborator's verdict; a published claim
                       also carries its schema.org ClaimReview as published (claimreview_json)
    annotations        an AnnotationCollection of W3C Web Annotations: the export's own mapping
                       (webannotation), so any Web Annotation client reads it; loading reads
                       each one's passage, note, visibility and dates from it
    annotationRecords  beside each annotation (by its id), what the W3C model has no word for:
                       who wrote it, its labels and claim, revision, anchoring, version, deleted
                       or hidden, where it was imported from
    replies, flags     the discussions (threads, mentions) and the moderators' reports
    history            every history entry, with its snapshots before and after

Inside the document, rows refer to each other by the ids they had where it was written (`pk`);
loading gives them new ids and follows those references. A stored field this format does not
name (one a model gains later) travels in its row's `otherFields`: a Claimlens whose model has
it restores it, one whose model has not leaves it aside.

Not in it, on purpose: passwords and API tokens (secrets), notifications, presence and the
change feed (addressed to this database's ids and its open pages, and remade as people work),
and the machine's claim suggestions (made again from the articles' text by `suggest_claims`;
an accepted one is in the backup as the claim it became).

How it is loaded: a bulk restore, not a replay through the services. The services decide what
a restore must not decide again: who may do it now (an author may have lost a role since),
the moment (a final verdict's date is the ClaimReview's datePublished), whom to notify, and
they record a new history entry for each change. So each row is written as it was, each
field checked against the model (lengths, choices, formats) and each passage against its
article's text; derived HTML is made again here, never taken from the file; articles are
stored through articles.services.article_store, revision by revision; and the history is the
one the backup carries, each entry pointing at the restored row, plus one entry recording the
load in the loader's history. It all happens in one transaction: an error names the item and
nothing is saved.
"""

from annotations.interop.backup.document import MEDIA_TYPE, BackupError, read_document
from annotations.interop.backup.dumping import dump_claimwork
from annotations.interop.backup.loading import LOADED, LoadReport, load_claimwork, rebased

__all__ = [
    "MEDIA_TYPE",
    "BackupError",
    "read_document",
    "dump_claimwork",
    "LOADED",
    "LoadReport",
    "load_claimwork",
    "rebased",
]
