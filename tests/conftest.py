from pathlib import Path

import pytest

SEED_NAME = "hrw-kazakhstan-shoot-to-kill.txt"


def find_seed(name: str = SEED_NAME) -> Path:
    """Return a seed file from shared/seeds beside the checkout (or beside a folder above it).

    The seed is someone else's article: tests read it, the project never copies it.
    """
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "seeds" / name
        if candidate.exists():
            return candidate
    pytest.fail(f"seed article {name} not found in a shared/seeds folder above the tests")


@pytest.fixture
def seed_path():
    return find_seed()
