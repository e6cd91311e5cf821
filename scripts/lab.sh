#!/usr/bin/env bash
# `npm run lab`: JupyterLab from the project's environment (.venv, made by `npm run setup`), with the
# tslab ("TypeScript") kernel registered there, serving notebooks/ on 127.0.0.1 only.
#
# Jupyter's config, data and runtime files stay in .jupyter/ as with setup.sh; JupyterLab's settings
# and workspaces go to .jupyter/config/lab/ (set JUPYTERLAB_SETTINGS_DIR / JUPYTERLAB_WORKSPACES_DIR to
# choose others). ANYCAST_LAB_NOTEBOOKS serves another folder (the tests use a scratch copy).
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

args=(--ServerApp.ip=127.0.0.1 "--ServerApp.root_dir=${ANYCAST_LAB_NOTEBOOKS:-$ROOT/notebooks}")
if [[ $(id -u) == 0 ]]; then args+=(--allow-root); fi

# exec: the PID that started this script is JupyterLab's, so it can be stopped by that PID.
exec "$JUPYTER" lab "${args[@]}" "$@"
