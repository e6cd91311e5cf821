#!/usr/bin/env bash
# `npm run setup`: installs everything the workbook needs, inside the project folder only, and builds it.
#
#   node_modules/                   npm ci from package-lock.json (tslab, TypeScript, the library's deps)
#   .venv/                          Python venv with requirements.txt (JupyterLab, nbconvert, nbclient)
#   .venv/share/jupyter/kernels/    the tslab ("TypeScript") kernel, registered into that venv only
#   .jupyter/                       Jupyter's config/runtime/IPython folders while setup runs
#   notebooks/node_modules/anycast-lab -> ../..   so notebooks can `import ... from "anycast-lab"`
#   dist/                           npm run build
#   .git/config                     the nbstripout filter for notebooks (see .gitattributes), when the
#                                   project is a git checkout
#
# `bash scripts/setup.sh git-filter` runs only that last step (the venv must exist).
# Safe to run again: npm ci reinstalls node_modules, the venv is kept while it still works and
# requirements.txt is unchanged, the kernel spec and the link are rewritten.
# Use PYTHON=/path/to/python3 to choose the Python that creates the venv (default: python3).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
VENV=$ROOT/.venv

# Keep Jupyter and IPython from writing to ~/.jupyter, ~/.local/share/jupyter or ~/.ipython.
export JUPYTER_CONFIG_DIR=$ROOT/.jupyter/config
export JUPYTER_DATA_DIR=$ROOT/.jupyter/data
export JUPYTER_RUNTIME_DIR=$ROOT/.jupyter/runtime
export IPYTHONDIR=$ROOT/.jupyter/ipython
export JUPYTER_PLATFORM_DIRS=1
mkdir -p "$ROOT/.jupyter"  # IPython falls back to a temp folder when its parent folder is missing

die() {
  echo >&2
  echo "setup: ERROR: $*" >&2
  exit 1
}
trap 'echo >&2; echo "setup: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

# nbstripout as a git filter, the way `nbstripout --install` sets it up (nbstripout's _nbstripout.py,
# install()): a clean filter that strips outputs and execution counts from every *.ipynb git reads
# from the work tree, and a textconv for `git diff`. The notebook a user ran (and JupyterLab saved)
# keeps its outputs on disk; `git status`, `git diff` and `git add` see it without them. What
# `nbstripout --install` does not do right: it writes the attributes to `$(git rev-parse
# --git-dir)/info/attributes`, which git does not read in a linked worktree (.git is a file there and
# git reads the common dir's info/attributes). So the attributes are committed (.gitattributes,
# read in every clone and worktree) and only the commands go into the repository's own config
# (`git config --local`: .git/config, shared by its worktrees), by the absolute path of this
# checkout's venv. --keep-id: the cells keep their ids (nbstripout would renumber them 0, 1, …, so
# inserting a cell would change every id after it). Without the config (a clone before setup) git
# ignores the attribute and reads notebooks as they are.
install_git_filter() {
  local top
  top=$(git -C "$ROOT" rev-parse --show-toplevel 2>/dev/null) || top=
  if [[ -z $top ]]; then
    echo "not a git checkout: no filter to install"
    return
  elif [[ $(cd "$top" && pwd -P) != $(pwd -P) ]]; then
    # Inside another project's repository (vendored): its git config is not ours to change.
    echo "the project is inside the git checkout $top, not its top: no filter installed"
    return
  fi
  "$VENV/bin/python" -m nbstripout --version >/dev/null 2>&1 || die "$VENV has no nbstripout (requirements.txt): run \`npm run setup\`"
  local clean="\"$VENV/bin/python\" -m nbstripout --keep-id"
  git -C "$ROOT" config --local filter.nbstripout.clean "$clean"
  git -C "$ROOT" config --local filter.nbstripout.smudge cat
  git -C "$ROOT" config --local filter.nbstripout.required true
  git -C "$ROOT" config --local diff.ipynb.textconv "$clean -t"
  [[ $(git -C "$ROOT" check-attr filter -- notebooks/01-network.ipynb) == *': filter: nbstripout' ]] \
    || die "git does not give notebooks the nbstripout filter: .gitattributes is missing or changed"
  echo "git filter nbstripout: $clean (for *.ipynb, from .gitattributes)"
}
if [[ ${1:-} == git-filter ]]; then
  install_git_filter
  exit 0
fi

SETUP_START=$SECONDS
STEP_START=$SECONDS
STEP_NAME=
TIMINGS=()
step() {
  end_step
  STEP_NAME=$1
  STEP_START=$SECONDS
  echo
  echo "==> $1"
}
end_step() {
  if [[ -n $STEP_NAME ]]; then TIMINGS+=("$(printf '%5ds  %s' $((SECONDS - STEP_START)) "$STEP_NAME")"); fi
  STEP_NAME=
}

step "checking prerequisites"
command -v node >/dev/null || die "node not found. Install Node.js >= 20.19 (https://nodejs.org/ or NodeSource)."
command -v npm >/dev/null || die "npm not found. It comes with Node.js >= 20.19."
# @observablehq/plot is ESM only; the CommonJS library and tslab load it with require(), which Node
# supports without a flag from 20.19 (20.x line), 22.12 and 23.0.
node -e '
  const [major, minor] = process.versions.node.split(".").map(Number);
  const ok = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23;
  process.exit(ok ? 0 : 1);
' || die "Node.js $(node --version) is too old: need >= 20.19 on the 20.x line, or >= 22.12 (require() of ES modules)."
echo "node $(node --version), npm $(npm --version 2>/dev/null)"

command -v "$PYTHON" >/dev/null || die "$PYTHON not found. Install Python >= 3.9 (Debian: apt-get install python3 python3-venv)."
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
  || die "$("$PYTHON" --version 2>&1) is too old: need Python >= 3.9."
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null \
  || die "$PYTHON cannot create virtual environments (no venv/ensurepip module). Debian: apt-get install python3-venv"
echo "$("$PYTHON" --version 2>&1) ($(command -v "$PYTHON"))"

step "npm ci"
# npm ci installs exactly package-lock.json into node_modules/ (npm keeps its download cache in ~/.npm,
# as it always does). npm 11 reports that zeromq's install script was not run: that is fine, zeromq
# ships prebuilt binaries for linux-x64, which the next check loads.
npm ci --no-audit --no-fund
node -e "require('zeromq')" \
  || die "the zeromq module (used by the tslab kernel) does not load on $(uname -sm). It ships prebuilt binaries for linux/macOS/windows x64 and arm64; on other platforms build it with: npm rebuild zeromq --foreground-scripts"

step "Python venv (.venv) with requirements.txt"
if [[ -e $VENV ]] && ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
  echo ".venv exists but its Python does not run (or is too old): recreating it"
  rm -rf "$VENV"
elif [[ -e $VENV ]] && ! head -n 1 "$VENV/bin/pip" 2>/dev/null | grep -qxF -e "#!$VENV/bin/python" -e "#!$VENV/bin/python3"; then
  # The scripts in .venv/bin name the venv's Python by absolute path: after a move they point nowhere.
  echo ".venv was made for another folder (project moved?): recreating it"
  rm -rf "$VENV"
fi
if [[ ! -e $VENV ]]; then
  "$PYTHON" -m venv "$VENV"
fi
STAMP=$VENV/.requirements.sha256
WANT=$( (cat requirements.txt; "$VENV/bin/python" --version) | sha256sum | cut -d' ' -f1)
if [[ -f $STAMP && $(cat "$STAMP") == "$WANT" ]]; then
  echo "requirements.txt already installed"
else
  "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input --no-cache-dir --quiet -r requirements.txt
  echo "$WANT" >"$STAMP"
fi
"$VENV/bin/python" -c 'import jupyterlab, nbconvert, nbclient, ipykernel' || die "the venv is missing Jupyter packages; delete .venv and run again"

step "tslab kernel registered in .venv"
# tslab writes kernel specs named tslab (TypeScript) and jslab (JavaScript) into
# .venv/share/jupyter/kernels/. The kernel command is an absolute path into node_modules: moving the
# project folder means running setup again.
node_modules/.bin/tslab install --python "$VENV/bin/python" --prefix "$VENV" --binary "$ROOT/node_modules/.bin/tslab"
KERNELS=$("$VENV/bin/jupyter" kernelspec list)
echo "$KERNELS"
grep -Eq "^ *tslab +$VENV/share/jupyter/kernels/tslab\$" <<<"$KERNELS" \
  || die "jupyter does not list the tslab kernel from $VENV/share/jupyter/kernels/tslab"

step "link notebooks/node_modules/anycast-lab -> ../.."
# tslab compiles a notebook with the notebook's folder as its root, so notebooks import the built
# library (dist/*.js + dist/*.d.ts) by package name. The link lives in notebooks/node_modules rather
# than in ./node_modules because npm prunes unknown entries from ./node_modules on every npm install.
mkdir -p notebooks/node_modules
ln -sfn ../.. notebooks/node_modules/anycast-lab
ls -l notebooks/node_modules/anycast-lab

step "npm run build"
npm run build

step "tslab kernel starts and imports anycast-lab"
(cd notebooks && "$VENV/bin/python" - <<'EOF'
import sys
from jupyter_client.manager import start_new_kernel

km, kc = start_new_kernel(kernel_name="tslab", startup_timeout=60)
out = []
try:
    reply = kc.execute_interactive(
        'import { formatDuration, seconds } from "anycast-lab"; console.log(formatDuration(seconds(90)))',
        timeout=60,
        output_hook=lambda msg: out.append(msg["content"].get("text", "")),
    )
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
text = "".join(out).strip()
if reply["content"]["status"] != "ok" or text != "1m30s":
    sys.exit(f"tslab kernel smoke test failed: status {reply['content']['status']}, output {text!r}")
print(f"kernel printed {text!r}")
EOF
) || die "the tslab kernel did not start or could not import anycast-lab (see above)"

step "git filter: notebooks are committed without outputs (nbstripout)"
install_git_filter
end_step

echo
echo "setup: done in $((SECONDS - SETUP_START)) s"
printf '%s\n' "${TIMINGS[@]}"
echo
echo "Next: npm run tutorial   (or open the notebooks in JupyterLab with: npm run lab)"
