from pathlib import Path

import pytest

# The article that defined Claimlens; read in tests, never copied into the project.
SEED_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
SEED_ARTICLE = SEED_DIR / "hrw-kazakhstan-shoot-to-kill.txt"


@pytest.fixture
def seed_path():
    if not SEED_ARTICLE.exists():
        pytest.fail(f"seed article missing at {SEED_ARTICLE}")
    return SEED_ARTICLE
