#!/usr/bin/env bash
# End-to-end test of the workbench in a real terminal: tmux runs `hydra` on the default demo
# session, keys are sent, and the screen is read back with capture-pane. Also checks that the
# terminal is restored after quitting, and the too-small message at 70×20.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hydra="${HYDRA_BIN:-$root/.build/release/hydra}"
cache=$(mktemp -d)
# the run below needs the model files the set-up fetched; the rest of the cache starts empty
models="${HYDRA_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/hydra-workbench/models}"
session="hydra-e2e-$$"
passed=0
failed=0

cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$cache"; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$session"; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
  local deadline=$((SECONDS + ${2:-20}))
  while [ $SECONDS -lt $deadline ]; do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.2
  done
  return 1
}

check() {  # check NAME TEXT [SECONDS]
  if wait_for "$2" "${3:-20}"; then
    passed=$((passed + 1)); echo "ok   $1"
  else
    failed=$((failed + 1)); echo "FAIL $1: screen lacks \"$2\""; screen | sed 's/^/     | /'
  fi
}

start() {  # start WIDTH HEIGHT [ARGS...]
  local width=$1 height=$2
  shift 2
  tmux kill-session -t "$session" 2>/dev/null || true
  tmux new-session -d -s "$session" -x "$width" -y "$height" \
    "cd '$root' && XDG_CACHE_HOME='$cache' HYDRA_MODELS='$models' '$hydra' $*; echo \"hydra exited with \$?\"; sleep 60"
}

# 120×40: users → user → question → help → quit
start 120 40
check "users screen lists the demo users" "36 users" 60
check "users pane is titled" "Users"
tmux send-keys -t "$session" j Enter
check "opening a user shows the questions pane" "Questions"
check "and the BM25 results" "Retrieved (BM25)"
check "with matched terms" "matched:"
tmux send-keys -t "$session" j
check "moving to the next question retrieves again" "2/4"
tmux send-keys -t "$session" "?"
check "help overlay is generated from the key table" "focus the next pane"
tmux send-keys -t "$session" Escape
tmux send-keys -t "$session" Escape
check "Esc goes back to the users" "Users"
tmux send-keys -t "$session" q
check "q quits cleanly" "hydra exited with 0"
if [ "$(tmux display-message -p -t "$session" '#{alternate_on}')" = "0" ]; then
  passed=$((passed + 1)); echo "ok   terminal left the alternate screen"
else
  failed=$((failed + 1)); echo "FAIL terminal still in the alternate screen after quit"
fi

# 70×20: too small, then grown
start 70 20
check "too-small message at 70×20" "terminal too small (needs 80×24)" 60
tmux resize-window -t "$session" -x 120 -y 40
check "message goes away when the window grows" "36 users"
tmux send-keys -t "$session" q
check "quits from there too" "hydra exited with 0"

# demo-quick: run HYDRA live, watch the loss and the results, then cancel and resume a re-run
start 160 48 --session Sessions/demo-quick.json
check "demo-quick opens" "6 users" 60
tmux send-keys -t "$session" r
check "r shows the run screen" "Run · running" 30
check "labelling progresses with the LLM's rate" "tok/s" 240
tmux send-keys -t "$session" x
check "x stops the run at its next LLM call" "run stopped" 120
tmux send-keys -t "$session" r
check "r resumes from the session store" "Run · running" 30
tmux send-keys -t "$session" 3
check "the training screen plots the shared phase" "reranker/shared" 600
tmux send-keys -t "$session" m
check "heads as small multiples" "heads as small multiples" 30
check "the run finishes" "run finished" 900
tmux send-keys -t "$session" 4
check "the results table" "Methods × metrics" 30
check "with the paired tests" "hydra vs rag" 10
tmux send-keys -t "$session" ":" "user u0005" Enter
check "an evaluation user opens" "user u0005" 10
tmux send-keys -t "$session" Enter
check "Enter on a question opens the reranker debugger" "Reranker · user's head" 120
check "with the BM25 breakdown of the selected item" "= Σ terms" 10
tmux send-keys -t "$session" j j
check "moving through the items follows the why pane" "Why: " 10
tmux send-keys -t "$session" Enter
check "the outputs side by side" "Personalized (user's heads)" 120
check "with the candidates under both heads" "Candidates (N = " 10
tmux send-keys -t "$session" 1
check "users show their heads and delta" "Δ pers−base" 10
tmux send-keys -t "$session" ":" "save-screen $cache/users.txt" Enter
check ":save-screen writes the screen" "wrote $cache/users.txt" 10
if grep -qF "Δ pers−base" "$cache/users.txt" 2>/dev/null; then
  passed=$((passed + 1)); echo "ok   the saved screen holds the users table"
else
  failed=$((failed + 1)); echo "FAIL the saved screen lacks the users table"
fi
tmux send-keys -t "$session" 5
check "the head inspector maps every head" "Map of the adapter heads" 120
check "and shows what the selected head learned" "adapter head learned" 10
check "against the demo user's latent preference" "latent preference recovered" 10
# what-if: take two items out of an evaluation user's history, price the re-fit, run it
tmux send-keys -t "$session" ":" "user u0005" Enter
check "the user opens from the inspector" "user u0005" 10
tmux send-keys -t "$session" Tab Tab " " j " "
check "two items are out of the history" "what-if −2 +0" 10
tmux send-keys -t "$session" F
check "F prices the re-fit first" "F again starts it" 120
tmux send-keys -t "$session" F
check "the re-fit finishes" "re-fit of u0005 done" 600
check "and the questions show before → after" "pick: run's fit → re-fit" 10
tmux send-keys -t "$session" b
check "b flips to the run's fit" "showing the run's fit" 10
tmux send-keys -t "$session" q
check "quits after the run" "hydra exited with 0" 20

# reopening shows the stored results at once, without running anything
start 160 48 --session Sessions/demo-quick.json
check "reopened session has its results" "results of the last run" 60
tmux send-keys -t "$session" 4
check "results shown without running" "Methods × metrics" 10
tmux send-keys -t "$session" q
check "quits" "hydra exited with 0" 20

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
