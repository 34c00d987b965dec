import json


def test_ask_returns_answer_citations_and_mode(client):
    r = client.post("/api/ask", json={"question": "我们厂要接自来水，找哪个单位？", "mode": "extractive"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"answer", "citations", "refused", "mode"}
    assert body["mode"] == "extractive" and not body["refused"]
    assert "二(四)4" in [c["id"] for c in body["citations"]]
    c = body["citations"][0]
    assert set(c) >= {"id", "units", "text", "section"}


def test_ask_refuses_out_of_scope(client):
    body = client.post("/api/ask", json={"question": "2023年的营商环境新政策有哪些？"}).json()
    assert body["refused"] and body["citations"] == [] and body["answer"].startswith("本通知未涉及")


def test_ask_with_history(client):
    history = [{"role": "user", "content": "企业注销找哪个部门？"},
               {"role": "assistant", "content": "请联系：区市场监管局、区税务局（依据措施二(一)5）。"}]
    body = client.post("/api/ask", json={"question": "那还有哪些部门?", "history": history}).json()
    assert not body["refused"] and body["citations"]


def test_stream_sends_tokens_then_done(client):
    with client.stream("POST", "/api/ask/stream", json={"question": "海关查验能不能不用人陪"}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        raw = r.read().decode()
    events = [block.split("\n", 1) for block in raw.strip().split("\n\n")]
    names = [e[0].removeprefix("event: ") for e in events]
    assert names[0] == "token" and names[-1] == "done" and names.count("done") == 1
    done = json.loads(events[-1][1].removeprefix("data: "))
    tokens = "".join(json.loads(e[1].removeprefix("data: "))["text"] for e in events if e[0] == "event: token")
    assert tokens == done["answer"] and done["citations"][0]["id"] == "二(六)2"


def test_unknown_mode_is_a_4xx(client):
    r = client.post("/api/ask", json={"question": "接水", "mode": "magic"})
    assert r.status_code == 422 and "mode" in r.text
