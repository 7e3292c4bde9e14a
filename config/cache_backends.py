"""A database cache whose counters every worker can share."""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class AtomicDatabaseCache(DatabaseCache):
    """Django's database cache, with an incr() that two workers cannot interleave.

    Django's incr() reads, adds and writes back: two workers counting the same request window
    both read 7 and both write 8, and a flood of writes is undercounted. Here the read and the
    write share one transaction that holds the row: PostgreSQL locks it (SELECT ... FOR
    UPDATE); SQLite's IMMEDIATE transactions (config/settings.py) take the write lock first.
    """

    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, column = quote_name(self._table), quote_name("cache_key")
        validated = self.make_and_validate_key(key, version=version)
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {column} FROM {table} WHERE {column} = %s FOR UPDATE",  # noqa: S608
                        [validated],
                    )
            value = self.get(key, version=version)
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            # The row keeps its expiry.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {quote_name('value')} = %s WHERE {column} = %s",  # noqa: S608
                    [self._encode(value), validated],
                )
        return value

    def count_hits(self, keys, timeout):
        """Add one to each counter of `keys` (a missing one starts at 1); return the counts.

        What django-ratelimit's add() then incr() do for each key, for all of them in one
        transaction: when the counters exist (every hit but a window's first) a SELECT ...
        FOR UPDATE and one UPDATE, where add() and incr() took six statements and a commit
        per key. Keys are locked in one order, so two workers cannot deadlock. On PostgreSQL,
        in a transaction of their own, the commit does not wait for the disk: a counter lost
        in a crash costs nothing.
        """
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, column = quote_name(self._table), quote_name("cache_key")
        names = {self.make_and_validate_key(key): key for key in keys}
        ordered = sorted(names)
        marks = ", ".join(["%s"] * len(ordered))
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression)
        converters += expression.get_db_converters(connection)
        # Only when the counters have a transaction of their own (as in the middleware): an
        # outer one's commit, which may hold more than counters, keeps waiting for the disk.
        unhurried = connection.vendor == "postgresql" and not connection.in_atomic_block
        counts = {}
        with transaction.atomic(using=db):
            with connection.cursor() as cursor:
                if unhurried:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                cursor.execute(
                    f"SELECT {column}, {quote_name('value')}, {quote_name('expires')}"  # noqa: S608
                    f" FROM {table} WHERE {column} IN ({marks}) ORDER BY {column}{lock}",
                    ordered,
                )
                now = tz_now()
                for key, value, expires in cursor.fetchall():
                    for converter in converters:
                        expires = converter(expires, expression, connection)
                    if expires >= now:
                        value = connection.ops.process_clob(value)
                        counts[key] = pickle.loads(base64.b64decode(value.encode())) + 1  # noqa: S301
                if counts:
                    cases, params = [], []
                    for key, count in counts.items():
                        cases.append("WHEN %s THEN %s")
                        params += [key, self._encode(count)]
                    found = ", ".join(["%s"] * len(counts))
                    cursor.execute(
                        f"UPDATE {table} SET {quote_name('value')} = CASE {column} "  # noqa: S608
                        f"{' '.join(cases)} END WHERE {column} IN ({found})",
                        [*params, *counts],
                    )
            for key in ordered:
                if key not in counts:
                    # A window's first hit (or a counter that expired): add() culls the
                    # table as Django's does; if another worker added it meanwhile, count on.
                    name = names[key]
                    counts[key] = 1 if self.add(name, 1, timeout) else self.incr(name)
        return [counts[key] for key in names]

    def _encode(self, value) -> str:
        """Return `value` as DatabaseCache stores every value."""
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
