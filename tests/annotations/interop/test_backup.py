"""A backup of the claim work restores everything into another database, at another address.

The team's work (tests/annotations/interop/backups.py) is dumped to a file; the database is
emptied, or a second one is made, and the file is loaded at another address, where every
article gets another id. Failures: test_backup_loading.py; the admin: test_backup_download.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

from annotations.collab import revert
from annotations.interop.backup import LOADED
from annotations.interop.backup.document import VANISHED_BASE
from annotations.interop.webannotation import Urls
from annotations.models import (
    Annotation,
    AnnotationOrigin,
    Claim,
    Evidence,
    Flag,
    HistoryEntry,
    Label,
    Reply,
    ReplyOrigin,
    Verdict,
)
from articles.models import Article, ArticleRevision
from tests.annotations.interop.backups import (
    HERE,
    NOT_BACKED_UP,
    THERE,
    counts,
    dump,
    empty_the_database,
    everything,
    load,
    make_team_work,
    user,
)
from tests.annotations.interop.conftest import validate

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parents[3]


@pytest.fixture
def team_work(settings):
    make_team_work(settings)


def test_a_backup_restores_everything_into_an_empty_database(team_work, settings, tmp_path):
    there = everything(Urls(THERE))
    there_counts = counts()
    assert all(there.values())  # every part holds something to restore
    notes = there["annotations"]
    for state in ({"anchor": "orphan"}, {"visibility": "private"}, {"revision_number": 2}):
        assert any(state.items() <= note.items() for note in notes), state
    assert any(note["deleted_at"] for note in notes) and any(note["hidden_at"] for note in notes)
    old_articles = set(Article.objects.values_list("pk", flat=True))
    dump(tmp_path / "backup.jsonld")

    empty_the_database()
    settings.CLAIMLENS_BASE_URL = HERE
    said = load(tmp_path / "backup.jsonld", "--user", "moderator")

    assert "Restored" in said and "note:" not in said, said  # no ClaimReview differs
    assert not old_articles & set(Article.objects.values_list("pk", flat=True))
    here = everything(Urls(HERE))
    for part in there:
        assert here[part] == there[part], part
    # Every row is back, and the load itself is recorded once, in the loader's history.
    assert counts() == there_counts | {"HistoryEntry": there_counts["HistoryEntry"] + 1}
    loaded = HistoryEntry.objects.get(action=LOADED)
    assert (loaded.target_type, loaded.actor) == ("user", user("moderator"))
    assert loaded.after["restored"]["annotations"] == there_counts["Annotation"]
    assert len(here["reviews"]) == 2


def test_restored_history_points_at_the_restored_rows(team_work, settings, tmp_path):
    dump(tmp_path / "backup.jsonld")
    empty_the_database()
    settings.CLAIMLENS_BASE_URL = HERE
    load(tmp_path / "backup.jsonld", "--user", "moderator")

    # The withdrawn verdict's history is kept, under an id no verdict here can have.
    withdrawn = HistoryEntry.objects.get(target_type="verdict", action="withdrawn")
    assert withdrawn.target_id >= VANISHED_BASE
    for verdict in Verdict.objects.all():
        assert withdrawn not in HistoryEntry.objects.for_object(verdict)
    # Reverting a restored entry works through the services as before: the moderator's revert
    # of Bob's edit is itself reverted, and the note keeps its claim (the snapshot's claim id
    # is this database's).
    edit = HistoryEntry.objects.get(target_type="annotation", action="updated", reverts=None)
    undo = HistoryEntry.objects.get(reverts=edit)
    annotation = Annotation.objects.get(pk=edit.target_id)
    claim_before = annotation.claim
    assert claim_before is not None and undo.before["claim_id"] == claim_before.pk
    made = revert.revert(entry=undo, user=user("moderator"))
    annotation.refresh_from_db()
    assert (annotation.note, annotation.claim) == ("Edited, wrongly.", claim_before)
    assert [entry.reverts for entry in made] == [undo]
    claim = Claim.objects.get(title__startswith="Bills rise")
    assert {e.action for e in HistoryEntry.objects.for_claim(claim)} >= {
        "created",
        "finalised",
        "evidence_added",
        "withdrawn",
    }


def test_loaded_work_passes_the_w3c_validator_when_dumped_again(team_work, settings, tmp_path):
    dump(tmp_path / "backup.jsonld")
    empty_the_database()
    settings.CLAIMLENS_BASE_URL = HERE
    load(tmp_path / "backup.jsonld", "--user", "moderator")
    again = dump(tmp_path / "again.jsonld")

    collection = again["annotations"]
    items = collection["first"]["items"]
    assert len(items) == collection["total"] == Annotation.objects.count()
    assert all(item["id"].startswith(HERE + "/") for item in items)
    validate(tmp_path, {"collection": collection} | {f"item-{n}": i for n, i in enumerate(items)})


def run_manage(*args: str, env: dict) -> str:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(PROJECT / "manage.py"), *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def as_json(value) -> object:
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def test_a_backup_loads_into_a_second_database(team_work, tmp_path):
    """Into a second database (a new SQLite file, whatever this one is), by the commands."""
    there = everything(Urls(THERE))
    dump(tmp_path / "backup.jsonld")
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'second.sqlite3'}",
        "CLAIMLENS_BASE_URL": HERE,
        "DJANGO_DEBUG": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py's own
    run_manage("migrate", "--noinput", "-v0", env=env)
    said = run_manage(
        "load_claimwork", str(tmp_path / "backup.jsonld"), "--user", "moderator", env=env
    )
    assert said.startswith("Restored") and "found already here: 7 labels" in said
    script = (
        "import json\n"
        "from annotations.interop.webannotation import Urls\n"
        "from tests.annotations.interop.backups import everything\n"
        f"print(json.dumps(everything(Urls({HERE!r})), default=str, sort_keys=True))\n"
    )
    here = json.loads(run_manage("shell", "-v0", "-c", script, env=env))
    assert here == as_json(there)


# Every relation of every row the backup holds, as the format carries it (dumping, records):
# a relation added to a model fails this test until the backup carries it.

CARRIED_RELATIONS = {
    Article: {"imported_by"},
    ArticleRevision: {"article", "created_by"},
    Label: {"private_to"},
    Claim: {"status", "status_final_by", "assignee", "created_by", "private_to"},
    Evidence: {"claim", "added_by"},
    Verdict: {"claim", "user", "status"},
    Annotation: {"article", "author", "labels", "claim", "hidden_by"},
    AnnotationOrigin: {"annotation", "imported_by"},
    Reply: {"annotation", "claim", "parent", "author", "mentions", "hidden_by"},
    ReplyOrigin: {"reply", "imported_by"},
    Flag: {"annotation", "reply", "reporter", "resolved_by"},
    HistoryEntry: {"actor", "article", "claim", "reverts"},
}


def test_every_model_and_relation_is_carried_or_left_out_on_purpose():
    models = set(apps.get_app_config("annotations").get_models())
    assert models == (set(CARRIED_RELATIONS) - {Article, ArticleRevision}) | NOT_BACKED_UP
    for model, carried in CARRIED_RELATIONS.items():
        relations = {
            f.name
            for f in model._meta.get_fields()
            if f.is_relation and f.concrete or f.many_to_many
        }
        relations = {name for name in relations if model._meta.get_field(name).concrete}
        assert relations == carried, model.__name__


# --- the admin download ------------------------------------------------------------------
