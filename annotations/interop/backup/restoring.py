"""What a load keeps track of: the rows it restored, found by the ids the dumping database gave."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, models, transaction

from annotations.interop.backup.document import VANISHED_BASE, Item, check
from annotations.models import HistoryEntry


@dataclass
class Restored:
    """Every row restored so far, by the primary key it had where the backup was written."""

    users: dict[str, models.Model] = field(default_factory=dict)  # by username
    user_pks: dict[int, models.Model] = field(default_factory=dict)
    articles: dict[int, models.Model] = field(default_factory=dict)
    # article pk there -> {revision number there: revision number here}
    revision_numbers: dict[int, dict[int, int]] = field(default_factory=dict)
    labels: dict[int, models.Model] = field(default_factory=dict)
    claims: dict[int, models.Model] = field(default_factory=dict)
    verdicts: dict[int, models.Model] = field(default_factory=dict)
    annotations: dict[int, models.Model] = field(default_factory=dict)
    replies: dict[int, models.Model] = field(default_factory=dict)
    entries: dict[int, models.Model] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    found_here: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def user(self, item: Item, key: str, *, required: bool = False):
        """Return the user item[key] names, None when it names nobody (and may not)."""
        name = item.text(key, None)
        if name is None:
            if required:
                raise item.error(f"“{key}” names nobody")
            return None
        user = self.users.get(name)
        if user is None:
            raise item.error(f"“{key}” names “{name}”, who is not among the backup's users")
        return user

    def row(self, item: Item, key: str, table: str, *, required: bool = False):
        """Return the restored row item[key] refers to by its id in the backup."""
        pk = item.number(key, None)
        if pk is None:
            if required:
                raise item.error(f"“{key}” is missing")
            return None
        found = getattr(self, table).get(pk)
        if found is None:
            kind = {"replies": "reply"}.get(table, table[:-1])
            raise item.error(f"“{key}” refers to {kind} {pk}, which is not in the backup")
        return found

    def target_pk(self, target_type: str, pk: int) -> int:
        """Return the id here of a history entry's object; a vanished one gets an id no row has.

        A withdrawn verdict or a merged label is gone where the backup was written, but its
        history stays: it keeps its own id there, moved past every id a row can have here, so
        it never shows in the history of whatever row gets its old id here.
        """
        table = {
            HistoryEntry.Target.ANNOTATION: self.annotations,
            HistoryEntry.Target.CLAIM: self.claims,
            HistoryEntry.Target.LABEL: self.labels,
            HistoryEntry.Target.VERDICT: self.verdicts,
            HistoryEntry.Target.REPLY: self.replies,
            HistoryEntry.Target.USER: self.user_pks,
        }[target_type]
        found = table.get(pk)
        if found is not None:
            return found.pk
        return pk if pk >= VANISHED_BASE else VANISHED_BASE + pk


def save_one(obj: models.Model, item: Item, clash: str) -> None:
    """Validate and save obj; a unique constraint it breaks is reported as `clash`."""
    check(obj, item)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise item.error(clash) from None


def create_all(model: type[models.Model], rows: list[models.Model]) -> None:
    """Insert rows (each already checked) in batches; their ids are set on them."""
    model.objects.bulk_create(rows, batch_size=500)


def keep_times(model: type[models.Model], rows: list[tuple[models.Model, dict]]) -> None:
    """Give rows back the moments they had (inserting stamped them with the present).

    auto_now and auto_now_add fields are set on every save and insert, whatever they hold;
    an UPDATE writes what it is given.
    """
    names: set[str] = set()
    for obj, moments in rows:
        for name, moment in moments.items():
            if moment is not None:
                setattr(obj, name, moment)
                names.add(name)
    write_fields(model, [obj for obj, _ in rows], sorted(names))


def write_fields(model: type[models.Model], objs: list[models.Model], names: list[str]) -> None:
    """Write these fields of many rows in one statement (QuerySet.bulk_update is much slower).

    bulk_update builds a CASE with a branch per row for each field: for 1,000 rows it took
    longer than inserting them. As annotations.revisions.services does: on PostgreSQL one
    UPDATE ... FROM unnest(column arrays), elsewhere one parameterised UPDATE per row with
    executemany (SQLite has no round trips to save). Names come from the model.
    """
    if not objs or not names:
        return
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = [quote(field.column) for field in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in fields)
            assignments = ", ".join(f"{column} = v.{column}" for column in columns)
            cursor.execute(
                f"UPDATE {table} SET {assignments} "  # noqa: S608
                f"FROM unnest({arrays}, %s::bigint[]) AS v({', '.join(columns)}, {key}) "
                f"WHERE {table}.{key} = v.{key}",
                [[getattr(obj, field.attname) for obj in objs] for field in fields]
                + [[obj.pk for obj in objs]],
            )
        else:
            assignments = ", ".join(f"{column} = %s" for column in columns)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {key} = %s",  # noqa: S608
                [
                    [
                        field.get_db_prep_save(getattr(obj, field.attname), connection)
                        for field in fields
                    ]
                    + [obj.pk]
                    for obj in objs
                ],
            )


def described(kind: str, data, index: int, name_key: str | None = None) -> str:
    """Return how errors name the index-th item of a part: its id there, and its name."""
    if not isinstance(data, dict):
        return f"{kind} {index + 1}"
    label = f"{kind} {data['pk']}" if isinstance(data.get("pk"), int) else f"{kind} {index + 1}"
    name = data.get(name_key) if name_key else None
    return f"{label} (“{name[:80]}”)" if isinstance(name, str) and name else label
