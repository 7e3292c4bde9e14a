"""The default claim statuses and roles, created by a data migration and by tests."""

# (slug, name, colour, description); colours chosen to read on light and dark backgrounds
# and to be told apart by people with the common colour-vision deficiencies.
DEFAULT_STATUSES = [
    ("unverified", "unverified", "#f2c94c", "Not yet checked."),
    ("verified", "verified", "#27ae60", "Checked and supported by evidence."),
    ("false", "false", "#d64545", "Checked and contradicted by evidence."),
    ("misleading", "misleading", "#e67e22", "Contains truth but leaves a false impression."),
    ("disputed", "disputed", "#9b59b6", "Credible sources disagree."),
    ("needs-context", "needs context", "#3d8bd4", "True only with context the passage leaves out."),
    ("opinion", "opinion", "#8d99a6", "A view, not a checkable statement of fact."),
]

ROLE_GROUPS = ["reader", "annotator", "moderator", "editor"]


def create_defaults(label_model, group_model) -> None:
    """Create the default statuses and role groups where they are missing."""
    for position, (slug, name, colour, description) in enumerate(DEFAULT_STATUSES):
        label_model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": "status",
                "colour": colour,
                "description": description,
                "position": position,
            },
        )
    for name in ROLE_GROUPS:
        group_model.objects.get_or_create(name=name)
