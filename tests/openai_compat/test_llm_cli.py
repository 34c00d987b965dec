"""Simon Willison's `llm` command line (llm==0.36), configured the way its users add an OpenAI-compatible
server (extra-openai-models.yaml), against a live server: plain and streamed answers, a continued
conversation, and the token counts it records from `usage` (a plain reply without `usage` crashed it:
"'NoneType' object has no attribute 'model_dump'")."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.live import live_server

pytest.importorskip("llm")
pytestmark = pytest.mark.clients
QUESTION = "我们厂要接自来水和燃气，找哪个部门？"


@pytest.fixture(scope="module")
def llm_cli(app_with, tmp_path_factory):
    """Runs `llm` with a user directory of its own that knows the model policy-qa at a live server."""
    home = tmp_path_factory.mktemp("llm-user")
    with live_server(app_with(api_keys=["sk-test"])) as url:
        (home / "extra-openai-models.yaml").write_text(
            f"- model_id: policy-qa\n  model_name: policy-qa\n  api_base: {url}/v1\n  api_key_name: policy-qa\n",
            encoding="utf-8",
        )
        (home / "keys.json").write_text(json.dumps({"policy-qa": "sk-test"}), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "LLM_"))}
        env["LLM_USER_PATH"] = str(home)

        def run(*args: str) -> str:
            done = subprocess.run(
                [sys.executable, "-m", "llm", *args], env=env, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, done.stderr
            return done.stdout

        yield run


def test_plain_streamed_and_continued_answers_with_their_token_counts(llm_cli, services):
    count = services.token_counter.count
    plain = llm_cli("-m", "policy-qa", "--no-stream", QUESTION)
    assert "二(四)4" in plain and "区自来水公司" in plain
    streamed = llm_cli("-m", "policy-qa", QUESTION)
    assert streamed == plain
    follow = llm_cli("-c", "--no-stream", "第二条呢？")  # llm sends the conversation so far as the history
    assert "二(四)" in follow

    logs = json.loads(llm_cli("logs", "--json", "-n", "3"))
    assert [row["model"] for row in logs] == ["policy-qa"] * 3
    first, second, third = sorted(logs, key=lambda row: row["datetime_utc"])
    for row in (first, second):  # no chat model here: estimated, the question and the reply
        assert row["response"].strip() == plain.strip()
        assert row["input_tokens"] == count(QUESTION) and row["output_tokens"] == count(row["response"]) > 0
    assert third["input_tokens"] == count("第二条呢？") + count(QUESTION) + count(first["response"])
