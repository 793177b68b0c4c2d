# Shared set-up for scripts/workbench and scripts/test: installs what is missing, idempotently,
# and says what it is doing. Sourced, not run.
set -euo pipefail

HYDRA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APT_PACKAGES=(libopenblas-dev libncurses-dev libsqlite3-dev tmux)

step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "error: need root to run: $*" >&2; exit 1; fi
}

ensure_system_packages() {
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if ! python3 -m pip --version >/dev/null 2>&1; then missing+=(python3-pip); fi
  if ! python3 -c "import ensurepip" >/dev/null 2>&1; then missing+=(python3-venv); fi
  if [ ${#missing[@]} -eq 0 ]; then
    step "system packages: ok (${APT_PACKAGES[*]})"
    return
  fi
  step "installing system packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ensure_swift() {
  if ! command -v swift >/dev/null; then
    echo "error: the Swift 6 toolchain is not on PATH (see https://www.swift.org/install/linux/)" >&2
    exit 1
  fi
}

# Builds the hydra executable in release mode (numerical code is many times slower in debug).
build_hydra() {
  step "building hydra (release; the first build takes a few minutes)"
  (cd "$HYDRA_ROOT" && swift build -c release --product hydra 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Write|Compiling|Emitting)' || true)
  test -x "$HYDRA_ROOT/.build/release/hydra" || { echo "error: build failed" >&2; exit 1; }
}

ensure_models() {
  step "model files (SmolLM2-135M-Instruct GGUF, all-MiniLM-L6-v2)"
  "$HYDRA_ROOT/.build/release/hydra" models fetch
}
