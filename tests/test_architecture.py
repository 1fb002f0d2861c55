"""The layout shows the design, and stays so: the core's layers contract lists every module of
the core, no module imports another's private names, and no import circle exists anywhere in
the package (imports inside functions included: they only hid the circles they closed)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "curator"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(path: Path, name: str) -> list[tuple[str, list[str]]]:
    """(module imported, names taken) for every import of the file, wherever it stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            out.append((base, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
    return out


def test_the_core_layers_contract_lists_every_module_of_the_core():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c.get("containers") == ["curator.core"]]
    listed = {f"curator.core.{m.strip()}" for layer in contract["layers"] for m in layer.replace("|", ":").split(":")}
    core = {
        m
        for m in modules()
        if m.startswith("curator.core.") and not (PACKAGE / m.split(".", 1)[1].replace(".", "/")).is_dir()
    }
    assert core == listed, f"not in the layers contract: {sorted(core - listed)}; gone: {sorted(listed - core)}"


def test_no_module_imports_another_modules_private_names():
    found = []
    for name, path in modules().items():
        for module, names in imports(path, name):
            if module.startswith("curator"):
                found += [f"{name}: {module}.{n}" for n in names if n.startswith("_") and not n.startswith("__")]
    assert not found


def circles() -> list[list[str]]:
    mods = modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        targets = set()
        for module, names in imports(path, name):
            for candidate in [f"{module}.{n}" for n in names] + [module]:
                if candidate in mods and candidate != name:
                    targets.add(candidate)
                    break
        graph[name] = {t for t in targets if not name.startswith(t + ".")}  # (a package's own __init__)
    state: dict[str, int] = {}
    found: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_import_circle_in_the_package():
    assert not circles(), " ; ".join(" -> ".join(c) for c in circles())
