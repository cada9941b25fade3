"""The no-cycle contract of pyproject.toml (infra.import_rules) finds module cycles, and only those."""

from __future__ import annotations

import grimp
import pytest

from infra.import_rules import AcyclicModules, strongly_connected

pytestmark = pytest.mark.unit


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported)
    return graph


def _contract() -> AcyclicModules:
    return AcyclicModules(name="no cycles", session_options={}, contract_options={"packages": ["pkg"]})


def test_a_cycle_through_three_modules_is_reported_with_its_members() -> None:
    graph = _graph(("pkg.a", "pkg.b"), ("pkg.b", "pkg.c"), ("pkg.c", "pkg.a"), ("pkg.c", "pkg.d"))
    check = _contract().check(graph, verbose=False)
    assert not check.kept
    assert check.metadata["cycles"] == [["pkg.a", "pkg.b", "pkg.c"]]


def test_packages_that_use_each_other_without_a_module_cycle_pass() -> None:
    # tenants.service -> plans.store and plans.routes -> tenants.service: the packages depend
    # on each other, the modules do not (what acyclic_siblings would refuse and this allows)
    graph = _graph(
        ("pkg.tenants.service", "pkg.plans.store"),
        ("pkg.plans.routes", "pkg.tenants.service"),
        ("pkg.plans.routes", "pkg.plans.service"),
        ("pkg.plans.service", "pkg.plans.store"),
    )
    assert _contract().check(graph, verbose=False).kept


def test_modules_outside_the_packages_are_not_looked_at() -> None:
    graph = _graph(("other.a", "other.b"), ("other.b", "other.a"), ("pkg.a", "other.a"))
    assert _contract().check(graph, verbose=False).kept


def test_a_long_chain_does_not_exhaust_the_stack() -> None:
    nodes = [f"m{i}" for i in range(5000)]
    edges = {n: [nodes[i + 1]] if i + 1 < len(nodes) else [nodes[0]] for i, n in enumerate(nodes)}
    (component,) = strongly_connected(nodes, edges)
    assert sorted(component) == sorted(nodes)
