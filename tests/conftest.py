from pathlib import Path

import pytest

# The article that defined Claimlens; read in tests, never copied into the project.
# shared/ sits beside the checkout (or beside a worktree's parent folder): look upwards.
_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = next(
    (p / "shared" / "seeds" for p in _ROOT.parents if (p / "shared" / "seeds").is_dir()),
    _ROOT.parent / "shared" / "seeds",
)
SEED_ARTICLE = SEED_DIR / "hrw-kazakhstan-shoot-to-kill.txt"


@pytest.fixture
def seed_path():
    if not SEED_ARTICLE.exists():
        pytest.fail(f"seed article missing at {SEED_ARTICLE}")
    return SEED_ARTICLE
