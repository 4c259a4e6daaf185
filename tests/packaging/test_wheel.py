"""The wheel installs one top-level name, ``trackwright``, beside a user's own packages."""

from __future__ import annotations

import textwrap
import zipfile
from pathlib import Path

from tests.packaging.conftest import ScratchVenv, run

APP = {
    "domain/__init__.py": "",
    "domain/errors.py": "class OrderError(Exception):\n    pass\n",
    "adapters/__init__.py": "ADAPTERS = 'the app'\n",
    "application/__init__.py": "APPLICATION = 'the app'\n",
    "train.py": textwrap.dedent(
        """
        import domain.errors, adapters, application
        import trackwright

        container = trackwright.build_container(trackwright.TrackwrightSettings(backend="memory"))
        experiment_id = container.experiments().get_or_create("app-hpo")
        context = trackwright.StageContext(kind=trackwright.RunKind.SWEEP, model="tiny")
        with container.sweep_tracker(experiment_id, context).sweep("a" * 64) as sweep:
            for number in range(2):
                with sweep.trial(number, {"lr": 0.1 * (number + 1)}) as trial:
                    scores = []
                    for fold_idx in range(2):
                        with trial.fold(fold_idx) as fold:
                            scores.append(0.5 + number / 10)
                            container.tracking().log_batch(
                                fold.run_id, metrics=[trackwright.Metric("f1", scores[-1])]
                            )
                    trial.log_cv("f1", scores)
        query = trackwright.RunQuery(experiment_ids=(experiment_id,))
        runs = container.backend().search_runs(query)
        print(domain.errors.OrderError.__module__, adapters.ADAPTERS, application.APPLICATION)
        print(len(runs.runs), trackwright.__file__)
        """
    ),
}


def test_the_wheel_holds_only_the_trackwright_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"trackwright"}
    assert "trackwright/__init__.py" in names and "trackwright/testing.py" in names
    assert not [n for n in names if "front_door" in n]


def test_an_app_with_its_own_domain_adapters_and_application_runs_a_sweep(
    scratch_venv: ScratchVenv, tmp_path: Path
) -> None:
    for name, text in APP.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    out = run([scratch_venv.python, "train.py"], tmp_path).splitlines()
    assert out[0] == "domain.errors the app the app"
    count, location = out[1].split()
    assert count == "7"  # the sweep, two trials, four folds
    assert location.startswith(str(scratch_venv.root))


def test_the_console_script_and_backends_come_from_the_installed_metadata(
    scratch_venv: ScratchVenv, tmp_path: Path
) -> None:
    code = "import trackwright; print(*trackwright.available_backends())"
    assert {"memory", "mlflow"} <= set(run([scratch_venv.python, "-c", code], tmp_path).split())
    assert "Usage" in run([scratch_venv.root / "bin" / "trackwright", "--help"], tmp_path)
