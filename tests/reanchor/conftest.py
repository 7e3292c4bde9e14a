from pathlib import Path

import pytest

from tests.conftest import SEED_ARTICLE


@pytest.fixture
def seed_path():
    """Return the seed article, looking in shared/ beside each folder above this one.

    tests/conftest.py looks only beside the checkout; a git worktree (/work/wt/<name>) sits one
    level deeper than the checkout it belongs to.
    """
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "seeds" / SEED_ARTICLE.name
        if candidate.exists():
            return candidate
    pytest.fail(f"seed article {SEED_ARTICLE.name} not found in any shared/seeds above the tests")
