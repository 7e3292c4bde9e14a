from pathlib import Path

import pytest

# The article that defined Claimlens; read in tests, never copied into the project.
# It sits in shared/seeds beside the checkout, which may be nested (git worktrees): look upwards.
_HERE = Path(__file__).resolve()
SEED_DIR = next(
    (p / "shared" / "seeds" for p in _HERE.parents if (p / "shared" / "seeds").is_dir()),
    _HERE.parent.parent.parent / "shared" / "seeds",
)
SEED_ARTICLE = SEED_DIR / "hrw-kazakhstan-shoot-to-kill.txt"


@pytest.fixture
def seed_path():
    if not SEED_ARTICLE.exists():
        pytest.fail(f"seed article missing at {SEED_ARTICLE}")
    return SEED_ARTICLE
