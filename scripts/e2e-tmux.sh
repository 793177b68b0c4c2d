#!/usr/bin/env bash
# End-to-end test of the workbench in a real terminal: tmux runs `hydra` on the default demo
# session, keys are sent, and the screen is read back with capture-pane. Also checks that the
# terminal is restored after quitting, and the too-small message at 70×20.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hydra="${HYDRA_BIN:-$root/.build/release/hydra}"
cache=$(mktemp -d)
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

start() {  # start WIDTH HEIGHT
  tmux kill-session -t "$session" 2>/dev/null || true
  tmux new-session -d -s "$session" -x "$1" -y "$2" \
    "cd '$root' && XDG_CACHE_HOME='$cache' '$hydra'; echo \"hydra exited with \$?\"; sleep 60"
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

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
