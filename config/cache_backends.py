"""A database cache whose counters every worker can share."""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


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
            # Stored as DatabaseCache stores every value; the row keeps its expiry.
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {quote_name('value')} = %s WHERE {column} = %s",  # noqa: S608
                    [encoded, validated],
                )
        return value
