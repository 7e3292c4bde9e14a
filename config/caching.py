"""The default cache, named by one URL (CLAIMLENS_CACHE_URL), as DATABASE_URL names the database."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def cache_from_url(url: str) -> dict:
    """Return the default CACHES entry for CLAIMLENS_CACHE_URL.

    db://<table> (the database, made by `migrate`), redis://host:port/n or
    rediss:// (Redis or Valkey, Django's RedisCache), locmem:// (one process only: tests).
    """
    scheme = urlsplit(url).scheme
    if scheme == "db":
        table = urlsplit(url).netloc or "claimlens_cache"
        # Culled a third at a time past MAX_ENTRIES: entries of old cursors go first in time.
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": table,
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if scheme in ("redis", "rediss", "valkey"):
        location = url.replace("valkey://", "redis://", 1)
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(
        f"CLAIMLENS_CACHE_URL must start with db://, redis://, rediss:// or locmem://, not {url!r}."
    )
