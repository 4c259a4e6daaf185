"""A tracking URI with a user and password: neither appears in logs, links or errors."""

from __future__ import annotations

import logging

import pytest

from trackwright.adapters.memory import InMemoryTracking
from trackwright.application import TrackwrightSettings, build_container
from trackwright.application.seed.training import get_mlflow_run_url
from trackwright.application.use_cases.lineage_query import LineageQuery
from trackwright.application.use_cases.pipeline import (
    PipelineConfig,
    SimulatedFailure,
    SimulatedPipeline,
)
from trackwright.domain.errors import TrackwrightError
from trackwright.domain.links import run_location

URI = "https://alice:s3cret@mlflow.example.com"


def test_the_workflow_never_shows_the_user_or_password(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    container = build_container(TrackwrightSettings(backend="memory", tracking_uri=URI))
    container.backend.override(InMemoryTracking(URI))
    stages = container.stage_runs()
    pipeline = SimulatedPipeline(stages, container.experiments())
    texts: list[str] = []
    with pytest.raises(SimulatedFailure) as failure:
        pipeline.run(
            PipelineConfig(experiment_prefix="leak", fail_in_trial=("bert", 0), backbones=("bert",))
        )
    texts.append(str(failure.value))
    result = pipeline.run(
        PipelineConfig(experiment_prefix="leak", backbones=("bert",), trials=2, folds=2)
    )
    for run_id in result.conversions.values():
        run = container.backend().get_run(run_id)
        texts.append(str(run_location(container.backend().tracking_uri, run.experiment_id, run_id)))
        texts.append(get_mlflow_run_url(run.experiment_id, run_id, URI))
        texts += [
            str(step.run.tags)
            for step in LineageQuery(container.backend(), container.tag_policy().registry).up(
                run_id
            )
        ]
    for bad in ("0" * 32, "not a run!"):
        with pytest.raises(TrackwrightError) as error:
            container.runs().create_child(bad, "x")
        texts.append(str(error.value))
    texts.append(container.backend().tracking_uri)
    texts += [record.getMessage() for record in caplog.records]
    assert len(caplog.records) > 10
    leaked = [t for t in texts if "s3cret" in t or "alice" in t]
    assert leaked == []
