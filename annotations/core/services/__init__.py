"""Writing annotations, labels and claims. Views, the API and importers all come here.

One module per thing written; every public name is importable from here, e.g.
`from annotations.core.services import annotation_create`.
"""

from annotations.core.services.annotations import (
    annotation_create,
    annotation_delete,
    annotation_hide,
    annotation_name,
    annotation_restore,
    annotation_update,
)
from annotations.core.services.claims import (
    claim_name_claimant,
    claim_update,
    claim_write,
    evidence_add,
    evidence_remove,
)
from annotations.core.services.errors import EditConflict
from annotations.core.services.hiding import content_set_hidden
from annotations.core.services.labels import (
    RESERVED_SHORTCUTS,
    label_create,
    label_merge,
    label_rename,
    label_update,
)
from annotations.core.services.tagging import (
    DEFAULT_TAG_COLOUR,
    claim_get_or_create,
    claim_set_status,
    resolve_tag_input,
    status_by_name,
    tag_get_or_create,
)

__all__ = [
    "EditConflict",
    "content_set_hidden",
    "DEFAULT_TAG_COLOUR",
    "status_by_name",
    "tag_get_or_create",
    "claim_get_or_create",
    "resolve_tag_input",
    "claim_set_status",
    "annotation_create",
    "annotation_update",
    "annotation_delete",
    "annotation_restore",
    "annotation_hide",
    "annotation_name",
    "RESERVED_SHORTCUTS",
    "label_create",
    "label_update",
    "label_rename",
    "label_merge",
    "claim_update",
    "claim_write",
    "claim_name_claimant",
    "evidence_add",
    "evidence_remove",
]
