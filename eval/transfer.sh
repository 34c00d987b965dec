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
