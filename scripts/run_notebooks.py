"""Execute notebooks with the project's tslab kernel and write the executed copies elsewhere.

Used by scripts/tutorial.ts (HTML for build/tutorial/) and lib/notebooks.test.ts (executed .ipynb in a
temporary folder). Run it with the project's virtualenv: `.venv/bin/python scripts/run_notebooks.py`.

The source notebooks are only read, never written. Each notebook runs in a fresh kernel whose working
folder is the notebook's own folder (so `import ... from "anycast-lab"` resolves through
notebooks/node_modules/anycast-lab, the link `npm run setup` makes). A notebook stops at its first
failing cell; the other notebooks still run. The result of every notebook goes to --summary as JSON:

  [{"notebook", "title", "seconds", "output", "error": null | {"cell", "source", "message"}}]

Exit status: 0 when every cell of every notebook ran, 1 when a cell failed, 2 on a set-up problem.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_STATE = ROOT / ".jupyter"

# Keep Jupyter's own files (runtime connection files, config, IPython profile) inside the project, and
# make sure the kernel comes from .venv/share/jupyter/kernels rather than from a per-user install.
os.environ["JUPYTER_CONFIG_DIR"] = str(JUPYTER_STATE / "config")
os.environ["JUPYTER_DATA_DIR"] = str(JUPYTER_STATE / "data")
os.environ["JUPYTER_RUNTIME_DIR"] = str(JUPYTER_STATE / "runtime")
os.environ["IPYTHONDIR"] = str(JUPYTER_STATE / "ipython")
os.environ["JUPYTER_PLATFORM_DIRS"] = "1"  # silences jupyter_core's deprecation warning
JUPYTER_STATE.mkdir(exist_ok=True)  # IPython warns when its parent folder is missing

import nbformat  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError  # noqa: E402

KERNEL = "tslab"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
SETUP_HINT = "run `npm run setup` in the project folder"


def fail_setup(message):
    print(f"run_notebooks: {message}; {SETUP_HINT}", file=sys.stderr)
    sys.exit(2)


def check_kernel():
    """The tslab kernelspec must be the one `npm run setup` put in .venv, and its command must exist."""
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        fail_setup(f"no Jupyter kernel named '{KERNEL}' is installed in {sys.prefix}")
    venv = (ROOT / ".venv").resolve()
    if not Path(spec.resource_dir).resolve().is_relative_to(venv):
        fail_setup(f"the '{KERNEL}' kernel found is {spec.resource_dir}, not the one in {venv}")
    binary = Path(spec.argv[0])
    if not binary.exists():
        fail_setup(f"the '{KERNEL}' kernel's command {binary} does not exist (folder moved?)")


def check_library_link(folder):
    """Notebooks import the built library by name; Node finds it by walking up node_modules folders."""
    for parent in [folder, *folder.parents]:
        if (parent / "node_modules" / "anycast-lab" / "package.json").exists():
            if not (parent / "node_modules" / "anycast-lab" / "dist" / "index.js").exists():
                print("run_notebooks: dist/index.js is missing: run `npm run build`", file=sys.stderr)
                sys.exit(2)
            return
    fail_setup(f"notebooks in {folder} cannot import \"anycast-lab\" (no node_modules/anycast-lab link)")


def title_of(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
                if match:
                    return re.sub(r"[*`]", "", match.group(1))
    return fallback


def output_text(nb):
    """Everything the notebook printed or displayed, as one string (for tests to search)."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                parts.append(out.text)
            elif out.output_type in ("execute_result", "display_data"):
                for mime in ("text/plain", "text/html", "image/svg+xml"):
                    if mime in out.data:
                        parts.append(out.data[mime])
            elif out.output_type == "error":
                parts.append(ANSI.sub("", "\n".join(out.traceback)))
    return "\n".join(parts)


def error_of(nb, index, exc):
    """Where a notebook stopped: the cell (1-based), its source, and the best message we have. tslab
    reports TypeScript compile errors and uncaught exceptions on stderr rather than as an error output."""
    cell = nb.cells[index]
    errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
    stderr = [o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stderr"]
    if errors:
        message = "\n".join("\n".join(o.traceback) or f"{o.ename}: {o.evalue}" for o in errors)
    elif stderr:
        message = "".join(stderr)
    else:
        message = f"{type(exc).__name__}: {exc}"
    return {"cell": index + 1, "source": cell.source, "message": ANSI.sub("", message).rstrip()}


def run(path, out_dir, to, timeout):
    nb = nbformat.read(path, as_version=4)
    result = {"notebook": str(path), "title": title_of(nb, path.stem), "error": None}
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=timeout,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    start = time.monotonic()
    index = -1
    try:
        with client.setup_kernel():
            count = 0
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    count += 1  # tslab sends no execute_input message, so nbclient would leave In [ ]
                client.execute_cell(cell, index, execution_count=count, store_history=True)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        result["error"] = error_of(nb, max(index, 0), exc)
    result["seconds"] = round(time.monotonic() - start, 3)
    result["output"] = output_text(nb)

    out_dir.mkdir(parents=True, exist_ok=True)
    if to == "html":
        from nbconvert import HTMLExporter

        # The lab template copies text/html outputs (our inline SVG plots) into the page as they are.
        body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb, resources={"metadata": {"name": result["title"]}})
        (out_dir / f"{path.stem}.html").write_text(body, encoding="utf-8")
    else:
        nbformat.write(nb, out_dir / path.name)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="+", type=Path)
    ap.add_argument("--out-dir", type=Path, required=True, help="where executed copies go")
    ap.add_argument("--to", choices=["html", "ipynb"], default="ipynb")
    ap.add_argument("--summary", type=Path, required=True, help="JSON results file")
    ap.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    args = ap.parse_args()

    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        print(f"run_notebooks: no such notebook: {', '.join(missing)}", file=sys.stderr)
        sys.exit(2)
    check_kernel()
    for folder in sorted({p.resolve().parent for p in args.notebooks}):
        check_library_link(folder)
    results = []
    for path in args.notebooks:
        print(f"running {path} ...", file=sys.stderr, flush=True)
        result = run(path, args.out_dir, args.to, args.timeout)
        status = "ok" if result["error"] is None else f"FAILED at cell {result['error']['cell']}"
        print(f"  {status} in {result['seconds']:.1f} s", file=sys.stderr, flush=True)
        results.append(result)
    args.summary.parent.mkdir(parents=True, exist_ok=True)
    args.summary.write_text(json.dumps(results, indent=1), encoding="utf-8")
    sys.exit(1 if any(r["error"] for r in results) else 0)


if __name__ == "__main__":
    main()
