"""Database functions the ORM lacks on both of our databases."""

from django.db.models import Aggregate, CharField


class JoinedText(Aggregate):
    """The values of a to-many relation joined by commas into one string; NULL when none.

    GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL. Order is not defined: callers treat the
    result as a set, and join only values that cannot hold a comma (ids, known names).
    """

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # On a copy, so that the FILTER clause (which wraps the template) still applies.
        joined = self.copy()
        joined.function = "STRING_AGG"
        joined.template = "%(function)s(%(distinct)sCAST(%(expressions)s AS text), ',')"
        return super(JoinedText, joined).as_sql(compiler, connection, **extra_context)
