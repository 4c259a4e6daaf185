"""Finding and querying on a real MLflow store: MlflowClient callers, paging, the file index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mlflow import MlflowClient

from trackwright import application
from trackwright.adapters.mlflow_store import MlflowTracking
from trackwright.adapters.run_index import FileRunIndex
from trackwright.application import Container, TrackwrightSettings, build_container, use_container
from trackwright.domain.finding.queries import RunQueries
from trackwright.domain.identity import run_key_hash
from trackwright.domain.model import RunStatus
from trackwright.domain.tags.keys import TagKeyRegistry

pytestmark = pytest.mark.sqlite
KEY = run_key_hash("hpo:bert:trial_1")


@pytest.fixture
def client(sqlite_uri: str) -> MlflowClient:
    return MlflowClient(tracking_uri=sqlite_uri)


@pytest.fixture
def mlflow_container(sqlite_uri: str, tmp_path: Path) -> Iterator[Container]:
    settings = TrackwrightSettings(tracking_uri=sqlite_uri, run_index_file=tmp_path / "i.json")
    container = build_container(settings)
    use_container(container)
    yield container
    use_container(None)


def test_hash_readers_accept_an_mlflow_client(client: MlflowClient) -> None:
    experiment_id = client.create_experiment("hashes")
    run = client.create_run(experiment_id, tags={"code.grouping.study_key_hash": "s" * 64})
    assert application.get_study_key_hash_from_run(run.info.run_id, client) == "s" * 64
    assert application.get_trial_key_hash_from_run(run.info.run_id, client) is None
    assert application.get_study_key_hash_from_run("0" * 32, client) is None


def test_query_by_tags_accepts_an_mlflow_client(client: MlflowClient) -> None:
    experiment_id = client.create_experiment("queries")
    run = client.create_run(experiment_id, tags={"code.stage": "hpo"})
    client.set_terminated(run.info.run_id, "FINISHED")
    found = application.query_runs_by_tags(client, [experiment_id], {"code.stage": "hpo"})
    assert [r.run_id for r in found] == [run.info.run_id]


def test_matches_behind_many_other_runs_are_found_across_pages(sqlite_uri: str) -> None:
    tracking = MlflowTracking(sqlite_uri, page_size=4)
    experiment_id = tracking.create_experiment("paging")
    wanted = []
    for i in range(12):
        tags = {"code.stage": "hpo" if i % 4 == 0 else "hpo_refit", "x": "both ' \""}
        run = tracking.create_run(experiment_id, f"r{i}", tags, start_time=1000 + i)
        tracking.set_terminated(run.run_id, RunStatus.FINISHED)
        if i % 4 == 0:
            wanted.append(run.run_id)
    queries = RunQueries(tracking, TagKeyRegistry.defaults())
    found = queries.finished_with_tags([experiment_id], {"code.stage": "hpo", "x": "both ' \""})
    assert [r.run_id for r in found] == list(reversed(wanted))


def test_the_mlflow_container_records_finds_in_the_index_file(
    mlflow_container: Container, tmp_path: Path
) -> None:
    tracking = mlflow_container.backend()
    experiment_id = tracking.create_experiment("indexed")
    run = tracking.create_run(experiment_id, "trial", {"code.run_key_hash": KEY})
    first = application.find_mlflow_run("indexed", run_key_hash=KEY)
    second = application.find_mlflow_run("indexed", run_key_hash=KEY)
    assert (first.strategy_used, second.strategy_used) == ("tag_run_key_hash", "local_index")
    entries = FileRunIndex(tmp_path / "i.json").entries()
    assert [(e.run_id, e.tracking_uri) for e in entries] == [(run.run_id, tracking.tracking_uri)]


def test_two_stores_sharing_one_index_file_keep_their_own_runs(
    migrated_sqlite_template: Path, tmp_path: Path
) -> None:
    index_file = tmp_path / "shared.json"
    found = {}
    try:
        for store in ("a", "b"):
            db = tmp_path / f"{store}.db"
            db.write_bytes(migrated_sqlite_template.read_bytes())
            uri = f"sqlite:///{db}"
            settings = TrackwrightSettings(tracking_uri=uri, run_index_file=index_file)
            use_container(build_container(settings))
            tracking = application.default_container().backend()
            experiment_id = tracking.create_experiment("same")
            run = tracking.create_run(experiment_id, "t", {"code.run_key_hash": KEY})
            assert application.find_mlflow_run("same", run_key_hash=KEY).run_id == run.run_id
            found[tracking.tracking_uri] = run.run_id
    finally:
        use_container(None)
    entries = FileRunIndex(index_file).entries()
    assert {e.tracking_uri: e.run_id for e in entries} == found
