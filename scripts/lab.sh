#!/usr/bin/env bash
# `npm run lab`: JupyterLab from the project's environment (.venv, made by `npm run setup`), with the
# tslab ("TypeScript") kernel registered there, serving notebooks/ on 127.0.0.1 only.
#
# Jupyter's config, data and runtime files stay in .jupyter/ as with setup.sh; JupyterLab's settings
# and workspaces go to .jupyter/config/lab/ (set JUPYTERLAB_SETTINGS_DIR / JUPYTERLAB_WORKSPACES_DIR to
# choose others). ANYCAST_LAB_NOTEBOOKS serves another folder (the tests use a scratch copy). The file
# browser does not list node_modules/ (.jupyter/config/jupyter_server_config.json, below).
# Any arguments go to `jupyter lab` as they are, e.g. `npm run lab -- --no-browser --port 8899`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
JUPYTER=$ROOT/.venv/bin/jupyter
if [[ ! -x $JUPYTER ]]; then
  echo "lab: $JUPYTER is missing: run \`npm run setup\` first" >&2
  exit 2
fi
if [[ ! -e $ROOT/dist/index.js ]]; then
  echo "lab: dist/ is missing: run \`npm run build\` (the notebooks import the built library)" >&2
  exit 2
fi

export JUPYTER_CONFIG_DIR=$ROOT/.jupyter/config
export JUPYTER_DATA_DIR=$ROOT/.jupyter/data
export JUPYTER_RUNTIME_DIR=$ROOT/.jupyter/runtime
export IPYTHONDIR=$ROOT/.jupyter/ipython
export JUPYTER_PLATFORM_DIRS=1
mkdir -p "$ROOT/.jupyter"

# The file browser hides node_modules/: notebooks/node_modules/anycast-lab is the link (-> ../..)
# through which the notebooks import the library, and listed it would show the whole project again
# inside notebooks/. hide_globs only filters the server's listings (ContentsManager.should_list in
# jupyter_server/services/contents/manager.py); the kernel still reads the link. A list set here
# replaces jupyter_server's default, so the default comes first. Set on every start in the project's own
# jupyter_server_config.json (other settings there are kept; the .d folder is read for enabling
# extensions only).
"$ROOT/.venv/bin/python" - "$JUPYTER_CONFIG_DIR/jupyter_server_config.json" <<'EOF'
import json, os, sys
path = sys.argv[1]
config = json.load(open(path)) if os.path.exists(path) else {}
globs = config.setdefault("ContentsManager", {}).setdefault("hide_globs", ["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~"])
if "node_modules" not in globs:
    globs.append("node_modules")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
EOF

args=(--ServerApp.ip=127.0.0.1 "--ServerApp.root_dir=${ANYCAST_LAB_NOTEBOOKS:-$ROOT/notebooks}")
if [[ $(id -u) == 0 ]]; then args+=(--allow-root); fi

# exec: the PID that started this script is JupyterLab's, so it can be stopped by that PID.
exec "$JUPYTER" lab "${args[@]}" "$@"
