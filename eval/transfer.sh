#!/usr/bin/env bash
# Notices and askers the system was not fitted on, each notice alone and with the others loaded.
#   bash eval/transfer.sh dev  [OUT]   # Jiading's new askers (dev), the dev notices (Putuo, Songjiang)
#   bash eval/transfer.sh test [OUT]   # the sealed sets: Jiading's new askers (test), Baoshan talent, Minhang science
# Extractive answers, no chat model. Prints each run's table; the JSON reports go to OUT (default test-output/transfer).
# Everything learned (scope models, question bank, remit and task models) was fitted on Jiading's labelled files
# only, so every figure for another notice is leave-that-notice-out; the Jiading files' writers are in no fit.
set -euo pipefail
cd "$(dirname "$0")/.."
split=${1:?dev or test}
out=${2:-test-output/transfer}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
if [ "$split" = dev ]; then
  jiading=eval/users-newaskers-dev.jsonl; notices="putuo-renewal-2023 songjiang-jobs-2024"
else
  jiading=eval/users-newaskers-test.jsonl; notices="baoshan-talent-2023 minhang-scitech-2022"
fi
all="putuo-renewal-2023 songjiang-jobs-2024 baoshan-talent-2023 minhang-scitech-2022"
mkdir -p "$work/all" "$work/jiading"
cp corpus/jiading-2021-7.* "$work/all/"; cp corpus/jiading-2021-7.* "$work/jiading/"
for d in $all; do cp "eval/notices/$d.txt" "$work/all/"; done
export RAG_LLM__BACKEND=none
run() {  # name file corpus-folder index-folder
  echo "== $1"
  .venv/bin/rag eval "$2" --mode extractive --no-progress --corpus-dir "$3" --index-dir "$4" --json "$out/$1.json" \
    2>&1 | grep -Ev '^rag eval: (built|index)|^wrote'
}
run "$split-jiading-alone" "$jiading" "$work/jiading" "$work/idx-jiading"
run "$split-jiading-with-all" "$jiading" "$work/all" "$work/idx-all"
for d in $notices; do
  mkdir -p "$work/$d"; cp "eval/notices/$d.txt" "$work/$d/"
  run "$split-$d-alone" "eval/notices/$d.jsonl" "$work/$d" "$work/idx-$d"
  mkdir -p "$work/$d-jiading"; cp "eval/notices/$d.txt" corpus/jiading-2021-7.* "$work/$d-jiading/"
  run "$split-$d-with-jiading" "eval/notices/$d.jsonl" "$work/$d-jiading" "$work/idx-$d-jiading"
  run "$split-jiading-with-$d" "$jiading" "$work/$d-jiading" "$work/idx-$d-jiading"
  run "$split-$d-with-all" "eval/notices/$d.jsonl" "$work/all" "$work/idx-all"
done
# one line per run, as docs/figures.md shows them
.venv/bin/python - "$out" "$split" <<'PY'
import json, pathlib, sys
out, split = pathlib.Path(sys.argv[1]), sys.argv[2]
cols = [("hit@1", "overall", "hit@1"), ("indirect", "indirect", "hit@1"), ("English", "english", "hit@1"),
        ("follow-ups", "multi_turn", "hit@1"), ("hit@5", "overall", "hit@5"), ("list recall", "overall", "list_recall"),
        ("OOS near", "overall", "oos_near"), ("OOS far", "overall", "oos_far"), ("opening", "overall", "opening_clause"),
        ("shape", "overall", "clean_shape"), ("facts", "overall", "fact_accuracy")]
print("| run | " + " | ".join(c[0] for c in cols) + " | answerable refused |")
print("| --- |" + " ---: |" * (len(cols) + 1))
for f in sorted(out.glob(f"{split}-*.json")):
    r = json.loads(f.read_text(encoding="utf-8"))
    def get(where, metric):
        v = (r["overall"] if where == "overall" else r["by_category"].get(where, {})).get(metric)
        return "–" if v is None else f"{v:.3f}"
    qs = [q for q in r["questions"] if q["gold_ids"]]
    refused = sum(bool(q["refused"]) for q in qs)
    print(f"| {f.stem} | " + " | ".join(get(w, m) for _, w, m in cols) + f" | {refused} of {len(qs)} |")
PY
