"""``khabar analyze --json`` as a subprocess, from a file and from stdin."""

import json
import subprocess
import sys

LINES = [
    {"url": "https://example.org/1", "title": "ليبيا وتركيا تبحثان التعاون في مجال الطاقة",
     "body": "بحث وزير النفط الليبي مع وزير الطاقة التركي التعاون في قطاع الطاقة.\n\n"
             "وتربط ليبيا وتركيا علاقات في قطاع الطاقة."},
    {"url": "https://example.org/2", "body": "أكد وزير خارجية النيجر استخدام بلاده للأسلحة الروسية."},
]


def run(args, stdin=""):
    return subprocess.run([sys.executable, "-m", "khabar.cli", "analyze", *args, "--json"], input=stdin,
                          capture_output=True, text=True, timeout=60)


def check(out):
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["url"] for r in records] == [x["url"] for x in LINES]
    for r in records:
        assert list(r) == ["url", "section", "tags", "entities"]
        assert isinstance(r["section"], str) and all(isinstance(t, str) for t in r["tags"])
        assert all(set(e) == {"text", "type"} for e in r["entities"])
    assert "ليبيا" in records[0]["tags"]


def test_file_with_bad_line(tmp_path):
    path = tmp_path / "in.jsonl"
    text = [json.dumps(LINES[0], ensure_ascii=False), "{not json", json.dumps({"title": "no url"}),
            json.dumps(LINES[1], ensure_ascii=False)]
    path.write_text("\n".join(text) + "\n", "utf-8")
    out = run([str(path)])
    assert out.returncode == 0, out.stderr
    check(out)
    assert ":2:" in out.stderr and ":3:" in out.stderr


def test_stdin():
    out = run([], stdin="\n".join(json.dumps(x, ensure_ascii=False) for x in LINES) + "\n")
    assert out.returncode == 0, out.stderr
    check(out)
