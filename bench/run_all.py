"""Run every benchmark (or those named) one after another; each writes bench/results/<name>.json.

    python bench/run_all.py                 # all of them: long (embeddings, model training)
    python bench/run_all.py stemmer import  # just these

Each script measures its baseline in the same run, so ratios hold on a noisy machine.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
# Cheap first, so a partial run still says the most.
ORDER = ("stemmer", "import", "extract", "sections", "keyphrases", "copies", "stories", "speed",
         "similarity", "search_quality", "related", "ner", "search", "pages")


def main(names: list[str]) -> int:
    chosen = names or list(ORDER)
    unknown = [n for n in chosen if not (HERE / f"{n}.py").exists()]
    if unknown:
        print(f"no such benchmark: {', '.join(unknown)}; choose from {', '.join(ORDER)}", file=sys.stderr)
        return 2
    failed = []
    for name in chosen:
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / f"{name}.py")])
        print(f"== {name}: exit {code} after {time.perf_counter() - start:.0f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed or below target: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
