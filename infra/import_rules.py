"""An import-linter contract type the built-in ones lack: no import cycle between modules.

import-linter's ``acyclic_siblings`` looks at siblings of a package, aggregated: a domain
package of the control plane that uses another one's store while the other uses its
service would count as a cycle although no module imports itself back. This contract looks
at modules: for every module of ``packages``, no chain of imports (at any depth, also
imports inside functions) leads back to it. A cycle is reported as the modules it passes
through. Registered in pyproject.toml (``contract_types``) and run by ``lint-imports``.
"""

from __future__ import annotations

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class AcyclicModules(Contract):
    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        roots = [str(p) for p in self.packages]  # type: ignore[attr-defined]
        inside = sorted(m for m in graph.modules if any(m == r or m.startswith(r + ".") for r in roots))
        wanted = set(inside)
        edges = {m: sorted(graph.find_modules_directly_imported_by(m) & wanted) for m in inside}
        cycles = [sorted(c) for c in strongly_connected(inside, edges) if len(c) > 1 or c[0] in edges[c[0]]]
        return ContractCheck(kept=not cycles, warnings=[], metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print(f"These modules import each other, directly or through the others: {', '.join(cycle)}")
            output.new_line()


def strongly_connected(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iterative (import chains can be long)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            if i < len(targets):
                work.append((node, i + 1))
                nxt = targets[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(component)
    return found
