"""`gridgov audit ...` driven as a deployment and an auditor would, over the sample county
(examples/data): a signing key made once, heads signed after each day's matters, a case
proof and a consistency proof handed to an auditor who checks them with the public key
alone, and the whole check catching a tail cut off after a head was published."""

import base64
import json
import os
import sqlite3
import stat
import subprocess

import pytest

from cli_support import DATA, copy_workspace, needs_cli, run, run_json

pytestmark = needs_cli

GRID = "371338102201001"      # 青石村第一网格: P0004 is its information officer (post A)
OFFICER = "P0004"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    ws = tmp_path_factory.mktemp("county") / "county.gridgov"
    run("init", ws=ws, check=0)
    run("import", DATA / "county.json", "--effective", "2023-09-01", ws=ws, check=0)
    run("import", DATA / "catalogue.json", DATA / "people.csv", DATA / "units.csv",
        DATA / "assignments.csv", DATA / "absences.csv", DATA / "departments.json",
        ws=ws, check=0)
    return ws


def report(ws, minute):
    out = run("case", "report", "--category", "E0102", "--node", GRID, "--actor", OFFICER,
              "--at", f"2026-03-02T09:{minute:02d}", ws=ws, check=0).stdout
    return out.split()[0]


def test_heads_proofs_and_the_auditors_check(county, tmp_path):
    ws = copy_workspace(county, tmp_path / "ws.gridgov")
    key = tmp_path / "key.pem"
    public = tmp_path / "public.pem"
    made = run_json("audit", "key", "-o", key, "--public", public)
    assert len(made["key_id"]) == 16
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    # A key is never overwritten.
    p = run("audit", "key", "-o", key)
    assert p.returncode == 3 and "never overwritten" in p.stderr

    numbers = [report(ws, m) for m in range(5)]
    head1 = tmp_path / "head1.txt"
    run("audit", "head", "--key", key, "--log", "苇川县 cases", "--at", "2026-03-02T18:00",
        "-o", head1, ws=ws, check=0)
    text = head1.read_text(encoding="utf-8")
    assert text.startswith("gridgov tree head v1\nlog: 苇川县 cases\nsize: 5\n")
    numbers += [report(ws, 10 + m) for m in range(3)]
    head2 = tmp_path / "head2.txt"
    printed = run("audit", "head", "--key", key, "--log", "苇川县 cases", "--at",
                  "2026-03-03T18:00", ws=ws, check=0).stdout
    head2.write_text(printed, encoding="utf-8")
    assert run_json("audit", "heads", ws=ws) == [text, printed]

    # The signature is plain Ed25519 over the first six lines: openssl checks it too.
    lines = text.splitlines(keepends=True)
    (tmp_path / "signed.txt").write_text("".join(lines[:6]), encoding="utf-8")
    (tmp_path / "sig.bin").write_bytes(base64.b64decode(lines[6].split(": ")[1]))
    openssl = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", public,
                              "-rawin", "-in", tmp_path / "signed.txt", "-sigfile",
                              tmp_path / "sig.bin"], capture_output=True, text=True)
    assert openssl.returncode == 0, openssl.stdout + openssl.stderr

    proof = tmp_path / "proof.json"
    run("audit", "prove", numbers[2], "--head", head1, "-o", proof, ws=ws, check=0)
    consistency = tmp_path / "consistency.json"
    run("audit", "consistency", "--older", head1, "--newer", head2, "-o", consistency, ws=ws,
        check=0)

    # The auditor: no workspace, only the files and the public key.
    out = run("audit", "verify", proof, "--public-key", public, "--head", head1, check=0).stdout
    assert out == "case proof ok: 1 checked\n"
    assert run_json("audit", "verify", consistency, "--public-key", public, "--older", head1,
                    "--newer", head2)["ok"]
    assert run_json("audit", "verify", head2, "--public-key", public)["ok"]
    forged = json.loads(proof.read_text(encoding="utf-8"))
    forged["events"][0]["at"] = "2026-03-02T08:00:00+08:00"
    (tmp_path / "forged.json").write_text(json.dumps(forged, ensure_ascii=False))
    p = run("audit", "verify", tmp_path / "forged.json", "--public-key", public, check=1)
    assert "case proof FAILED (event)" in p.stdout
    # A proof against a head other than the published one.
    r = run_json("audit", "verify", proof, "--public-key", public, "--head", head2, check=1)
    assert r["problem"] == "published"

    assert run_json("audit", "check", "--public-key", public, "--published", head1,
                    "--published", head2, ws=ws)["ok"]
    # The last three events cut off and their cases' rows removed: the chain alone cannot
    # tell; the published head can.
    db = sqlite3.connect(ws)
    db.execute("DELETE FROM case_events WHERE seq > 5")
    db.execute("DELETE FROM cases WHERE id >= 5")
    db.execute("DELETE FROM log_tree_heads")
    db.commit()
    db.close()
    assert run_json("verify-log", ws=ws)["ok"]
    r = run_json("audit", "check", "--public-key", public, "--published", head2, ws=ws, check=1)
    assert [f["rule"] for f in r["findings"]] == ["audit.head_beyond_log"]
    assert r["findings"][0]["where"] == "苇川县 cases@8"


def test_refusals_name_the_file_or_option(county, tmp_path):
    ws = copy_workspace(county, tmp_path / "ws.gridgov")
    key = tmp_path / "key.pem"
    public = tmp_path / "public.pem"
    run("audit", "key", "-o", key, "--public", public, check=0)
    bad = tmp_path / "bad.txt"
    bad.write_text("gridgov tree head v1\nlog: x\n")
    p = run("audit", "prove", "2026-000001", "--head", bad, ws=ws, check=3)
    assert f"--head {bad}: tree head: line 1: a tree head has 7 lines" in p.stderr
    p = run("audit", "verify", bad, "--public-key", key, check=3)
    assert "no PEM public key" in p.stderr
    (tmp_path / "other.json").write_text("{}")
    p = run("audit", "verify", tmp_path / "other.json", "--public-key", public, check=3)
    assert "neither a tree head nor a case or consistency proof" in p.stderr
    p = run("audit", "head", "--key", public, "--log", "x", ws=ws, check=3)
    assert "no unencrypted PEM private key" in p.stderr
    assert run("audit", ws=ws).returncode == 2
