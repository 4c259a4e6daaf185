"""Run links for servers, Azure ML studio and local stores, without credentials."""

from __future__ import annotations

from trackwright.domain.links import run_location

AZURE = (
    "azureml://eastus.api.azureml.ms/mlflow/v2.0/subscriptions/sub-1/resourceGroups/rg-1"
    "/providers/Microsoft.MachineLearningServices/workspaces/ws-1"
)


def test_http_server_links_open_the_run_page() -> None:
    location = run_location("http://localhost:5000/", "3", "abc")
    assert location.url == "http://localhost:5000/#/experiments/3/runs/abc"


def test_azure_ml_links_open_the_studio() -> None:
    url = run_location(AZURE, "7", "r" * 32).url
    assert url is not None and url.startswith(
        "https://ml.azure.com/experiments/id/7/runs/" + "r" * 32
    )
    assert (
        "wsid=/subscriptions/sub-1/resourcegroups/rg-1/providers/Microsoft.MachineLearningServices/workspaces/ws-1"
        in url
    )
    assert "api.azureml.ms" not in url


def test_local_stores_get_an_mlflow_ui_hint() -> None:
    location = run_location("sqlite:///mlflow.db", "1", "abc")
    assert location.url is None
    assert location.hint is not None and location.hint.startswith(
        "mlflow ui --backend-store-uri sqlite:///mlflow.db"
    )
    assert "#/experiments/1/runs/abc" in str(location)


def test_credentials_never_reach_a_link() -> None:
    location = run_location("https://alice:s3cret@mlflow.example.com", "1", "abc")
    assert location.url == "https://mlflow.example.com/#/experiments/1/runs/abc"
    assert "s3cret" not in str(run_location("sqlite:///x.db", "1", "a")) + str(location)
