"""End-to-end over HTTP: a real uvicorn server, real requests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from oncofed.services.network.centres import network_centres
from tests.conftest import SCREENSHOTS, LiveServer, free_port


def test_server_process_serves_home_page_and_api(tmp_path: Path) -> None:
    """`oncofed demo` then `oncofed serve` as a user would, on a free port."""
    env = {**os.environ, "ONCOFED_VAR_DIR": str(tmp_path / "var")}
    port = free_port()
    built = subprocess.run(
        [sys.executable, "-m", "oncofed.cli", "demo", "--patients", "100", "--no-serve"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "oncofed.cli", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(base + "/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
        home = httpx.get(base + "/")
        assert home.status_code == 200
        for centre in network_centres():
            assert centre.name.replace("'", "&#39;") in home.text
        api = httpx.get(base + "/api/centres").json()
        assert api["count"] == len(network_centres())
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.stdout is not None
    assert f"http://127.0.0.1:{port}" in proc.stdout.read()


def test_centre_api_and_page(live_server: LiveServer) -> None:
    data = httpx.get(live_server.url("/api/centres/curie")).json()
    assert data["centre"]["city"] == "Paris"
    assert data["trial_count"] == len(data["trials"]) > 0
    assert all(t["site"]["centre_id"] == "curie" for t in data["trials"])
    page = httpx.get(live_server.url("/centres/curie"), headers={"accept": "text/html"})
    assert page.status_code == 200 and "Institut Curie" in page.text
    assert data["trials"][0]["id"] in page.text


def test_every_table_exports_csv(live_server: LiveServer) -> None:
    centres = httpx.get(live_server.url("/api/centres?format=csv"))
    assert centres.headers["content-type"].startswith("text/csv")
    lines = centres.text.strip().splitlines()
    assert lines[0].startswith("id,name") and len(lines) == len(network_centres()) + 1
    trials = httpx.get(live_server.url("/api/centres/curie?format=csv"))
    assert trials.text.splitlines()[0] == "id,title,status,site_status,phases,fictional"


def test_unknown_centre_is_404_in_json_and_html(live_server: LiveServer) -> None:
    api = httpx.get(live_server.url("/api/centres/atlantis"))
    assert api.status_code == 404 and "atlantis" in api.json()["detail"] and api.json()["fix"]
    page = httpx.get(live_server.url("/centres/atlantis"), headers={"accept": "text/html"})
    assert page.status_code == 404 and "<html" in page.text and "atlantis" in page.text


def test_security_headers_and_offline_docs(live_server: LiveServer) -> None:
    home = httpx.get(live_server.url("/"))
    assert "frame-ancestors 'none'" in home.headers["content-security-policy"]
    assert home.headers["x-content-type-options"] == "nosniff"
    docs = httpx.get(live_server.url("/docs"))
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower() and "/static/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert httpx.get(live_server.url("/static/swagger-ui/swagger-ui-bundle.js")).status_code == 200
    schema = httpx.get(live_server.url("/api/openapi.json")).json()
    assert "/api/centres" in schema["paths"]


def test_french_text_on_request(live_server: LiveServer) -> None:
    fr = httpx.get(live_server.url("/?lang=fr"))
    assert "Les centres du réseau" in fr.text and 'lang="fr"' in fr.text
    en = httpx.get(live_server.url("/"), headers={"accept-language": "en-GB"})
    assert "The network&#39;s centres" in en.text


@pytest.mark.browser
def test_api_docs_render_openapi_31_offline(live_server: LiveServer, page) -> None:
    """Swagger UI 5 renders FastAPI's OpenAPI 3.1 schema (4.x said "Unable to render this definition")."""
    page.goto(live_server.url("/docs"))
    page.wait_for_selector(".opblock-tag", timeout=20000)
    body = page.inner_text("body")
    assert "Unable to render this definition" not in body
    assert "/api/centres" in body or page.locator(".opblock-tag").count() > 3
    page.screenshot(path=str(SCREENSHOTS / "api-docs.png"))
