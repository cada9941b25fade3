"""The edge's contact-route file: the agent writes, a worker reads (issue 17 item 4)."""

from __future__ import annotations

from pathlib import Path

from edge_node.contact_routes import ContactRoute, ContactRoutes


def test_a_worker_reads_what_the_agent_wrote_and_never_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "edge" / "contact-routes.sqlite"
    reader = ContactRoutes(path)
    assert reader.lookup("t1", "0901234567") is None and not path.exists()
    writer = ContactRoutes(path)
    writer.apply("t1", [("0901234567", ContactRoute("u_owner", False)), ("0912000111", ContactRoute("", True))], "c1")
    assert reader.lookup("t1", "0901234567") == ContactRoute("u_owner", False)
    assert reader.lookup("t1", "0912000111") == ContactRoute("", True)
    assert reader.lookup("t2", "0901234567") is None  # another tenant's caller with the same number
    assert writer.cursor("t1") == "c1" and writer.cursor("t2") == ""


def test_changes_remove_plain_routes_and_a_full_list_replaces_the_tenants(tmp_path: Path) -> None:
    path = tmp_path / "contact-routes.sqlite"
    w, r = ContactRoutes(path), ContactRoutes(path)
    w.apply("t1", [("0901", ContactRoute("u1")), ("0902", ContactRoute("u2"))], "c1")
    w.apply("t2", [("0901", ContactRoute("u9"))], "c1")
    w.apply("t1", [("0901", None), ("0902", ContactRoute("", False))], "c2")  # owner removed: plain
    assert r.lookup("t1", "0901") is None and r.lookup("t1", "0902") is None
    w.apply("t1", [("0903", ContactRoute("u3"))], "c3")
    w.apply("t1", [("0904", ContactRoute("u4", True))], "full-1", full=True)
    assert r.lookup("t1", "0903") is None and r.lookup("t1", "0904") == ContactRoute("u4", True)
    assert r.lookup("t2", "0901") == ContactRoute("u9")  # another tenant's list untouched
    assert w.forget_others(["t1"]) == 1 and r.lookup("t2", "0901") is None and w.cursor("t2") == ""
