"""Package the control plane for AWS: ``chalice package`` merged with ``template.yaml``.

    python -m infra.package [--stage prod] [--out build/package/<stage>] [--lint]
    make package [STAGE=prod]

Writes ``<out>/sam.yaml`` (Chalice's SAM template deep-merged with the repo's
``template.yaml``) and ``<out>/deployment.zip`` (the code of every function). Deploy them
as docs/deploy.md says. Steps:

1. Stage a copy of the Chalice project (``app.py``, ``.chalice/config.json``,
   ``requirements.txt``) with ``vendor/`` holding the ``control_plane`` package (its domain
   packages, without the project files), ``pbx_core`` and ``reports``: they are not on PyPI,
   and Chalice copies ``vendor/`` to the root of the zip, so ``import control_plane`` works
   in Lambda as it does locally. The working tree is never touched (no stale
   ``control_plane/vendor/``); the staging dir keeps Chalice's dependency cache
   (``.chalice/deployments``) between runs. The staged app must import with nothing but
   ``control_plane/requirements.txt`` (+ dependencies, + the runtime's boto3) on the path.
2. ``chalice package --stage <stage> --merge-template template.yaml``. It makes no AWS call
   but builds a client to read the region, so it runs with placeholder credentials and the
   target region (never the caller's real credentials).
3. Drop botocore, boto3 and s3transfer from the zip (most of its size; the Lambda Python
   runtime ships them).
4. Check the merged template: every function runs with a role from template.yaml (Chalice
   writes the placeholder ``iam_role_arn`` of config.json otherwise).
5. ``--lint``: run cfn-lint on the merged template.

``--no-deps`` packages without the third-party requirements (no network at all): the
template is the same, the zip is not deployable. The tests use it.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
CONTROL_PLANE = REPO / "control_plane"
TEMPLATE = REPO / "template.yaml"
VENDORED = ("control_plane", "pbx_core", "reports")  # ProBox packages the app imports
# The Chalice project's own files inside control_plane/: staged at the project's root, not vendored.
PROJECT_FILES = ("app.py", ".chalice", "requirements.txt", "README.md", "vendor")
RUNTIME_PROVIDED = ("botocore", "boto3", "s3transfer")  # in the Lambda Python runtime, dropped from the zip
# what the Lambda Python runtime ships (boto3 and its dependencies)
RUNTIME_DISTRIBUTIONS = ("boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3")
BUNDLED = {"chalice", "probox"}  # chalice/app.py is added by Chalice; probox's packages are vendored
PLACEHOLDER_ROLE = "role-is-set-by-template-yaml"
DEFAULT_REGION = "ap-southeast-1"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache")
_IGNORE_IN_CONTROL_PLANE = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", *PROJECT_FILES)


class PackageError(RuntimeError):
    """Packaging failed; the message says what to fix."""


def stage_project(work: Path, *, with_deps: bool = True) -> Path:
    """Copy the Chalice project into ``work/project`` with ``vendor/``; return its path.

    Everything but Chalice's dependency cache is replaced, so removed files do not linger.
    """
    project = work / "project"
    project.mkdir(parents=True, exist_ok=True)
    for child in project.iterdir():
        if child.name == ".chalice":
            for sub in child.iterdir():
                if sub.name != "deployments":
                    _remove(sub)
        else:
            _remove(child)
    (project / ".chalice").mkdir(exist_ok=True)
    shutil.copy2(CONTROL_PLANE / ".chalice" / "config.json", project / ".chalice" / "config.json")
    shutil.copy2(CONTROL_PLANE / "app.py", project / "app.py")
    if with_deps:
        shutil.copy2(CONTROL_PLANE / "requirements.txt", project / "requirements.txt")
    else:
        (project / "requirements.txt").write_text("# --no-deps: third-party requirements left out\n")
    vendor = project / "vendor"
    vendor.mkdir()
    for name in VENDORED:
        ignore = _IGNORE_IN_CONTROL_PLANE if name == "control_plane" else _IGNORE
        shutil.copytree(REPO / name, vendor / name, ignore=ignore)
    return project


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def chalice_env(region: str, *, offline: bool, empty_file: Path) -> dict[str, str]:
    """The environment of ``chalice package``: no real credentials, no profile, no endpoint.
    ``empty_file`` stands in for the AWS config files (not os.devnull: on some build
    machines /dev/null is a regular file other processes have written into)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PROBOX_"))}
    env.update(
        AWS_ACCESS_KEY_ID="packaging-needs-no-credentials",
        AWS_SECRET_ACCESS_KEY="packaging-needs-no-credentials",  # noqa: S106 - a placeholder
        AWS_DEFAULT_REGION=region,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=str(empty_file),
        AWS_SHARED_CREDENTIALS_FILE=str(empty_file),
    )
    env.pop("PYTHONPATH", None)  # the app must import from the staged project and vendor/
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # Chalice imports the app: no __pycache__ into the zip
    if offline:
        env["PIP_NO_INDEX"] = "1"
    return env


def _bin(name: str) -> str:
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise PackageError(f"{name} not found (make deps installs it into .venv)")
    return found


def run_chalice_package(project: Path, out: Path, *, stage: str, region: str, offline: bool) -> Path:
    if out.exists():
        shutil.rmtree(out)
    cmd = [
        _bin("chalice"),
        "package",
        "--stage",
        stage,
        "--merge-template",
        str(TEMPLATE),
        "--template-format",
        "yaml",
        str(out),
    ]
    empty = out.parent / "empty-aws-config"
    empty.parent.mkdir(parents=True, exist_ok=True)
    empty.write_text("")
    env = chalice_env(region, offline=offline, empty_file=empty)
    result = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PackageError(f"chalice package failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    sam = out / "sam.yaml"
    if not sam.exists():
        raise PackageError(f"chalice package wrote no {sam}")
    return sam


def strip_runtime_provided(zip_path: Path, names: tuple[str, ...] = RUNTIME_PROVIDED) -> int:
    """Remove packages the Lambda runtime already has from the zip; return bytes saved."""
    before = zip_path.stat().st_size
    prefixes = tuple(f"{n}/" for n in names)
    dist_infos = tuple(f"{n}-" for n in names)

    def runtime_provided(entry: str) -> bool:
        top = entry.split("/", 1)[0]
        return entry.startswith(prefixes) or (top.startswith(dist_infos) and top.endswith(".dist-info"))

    tmp = zip_path.with_suffix(".tmp.zip")
    with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if not runtime_provided(info.filename):
                dst.writestr(info, src.read(info), compress_type=zipfile.ZIP_DEFLATED)
    tmp.replace(zip_path)
    return before - zip_path.stat().st_size


def load_template(path: Path) -> dict[str, Any]:
    """The merged template: Chalice writes plain YAML (intrinsics as Fn::/Ref mappings)."""
    doc = yaml.safe_load(path.read_text())
    if not isinstance(doc, dict):
        raise PackageError(f"{path} is not a template")
    return doc


def check_roles(template: dict[str, Any]) -> None:
    """Every function must run with a role defined in the template (least privilege)."""
    resources: dict[str, Any] = template.get("Resources", {})
    problems = []
    for name, res in resources.items():
        if res.get("Type") not in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            continue
        role = res.get("Properties", {}).get("Role")
        target = role.get("Fn::GetAtt", [None])[0] if isinstance(role, dict) else None
        if target not in resources or resources[target].get("Type") != "AWS::IAM::Role":
            problems.append(f"{name}: Role is {role!r}")
    if problems:
        raise PackageError(
            "functions without a role from template.yaml (add `<Function>: Properties: Role: !GetAtt <Role>.Arn`"
            " there, with a least-privilege role):\n  " + "\n  ".join(problems)
        )


def requirement_closure(requirements: Path) -> set[str]:
    """The requirements file's distributions and everything they require (installed metadata)."""
    todo: list[tuple[str, frozenset[str]]] = []
    for line in requirements.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            todo.append((req.name, frozenset(req.extras)))
    seen: set[str] = set()
    while todo:
        name, extras = todo.pop()
        key = canonicalize_name(name)
        if key in seen and not extras:
            continue
        seen.add(key)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for spec in requires:
            req = Requirement(spec)
            envs = [{"extra": e} for e in extras] or [{"extra": ""}]
            if req.marker is None or any(req.marker.evaluate(e) for e in envs):
                todo.append((req.name, frozenset(req.extras)))
    return seen


def lambda_site(target: Path) -> Path:
    """A site dir with only what the Lambda would have: the closure of
    control_plane/requirements.txt, the runtime's boto3 family and chalice (symlinks into
    this venv, so versions and platform are this machine's)."""
    allowed = requirement_closure(CONTROL_PLANE / "requirements.txt") | BUNDLED | set(RUNTIME_DISTRIBUTIONS)
    allowed.discard("probox")  # vendored from the working tree instead
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for top, dists in importlib.metadata.packages_distributions().items():
        if not any(canonicalize_name(d) in allowed for d in dists) or not top.isidentifier():
            continue
        spec = importlib.util.find_spec(top)
        if spec is None:
            continue
        if spec.submodule_search_locations:
            source = Path(next(iter(spec.submodule_search_locations)))
        elif spec.origin and spec.origin not in ("built-in", "frozen"):
            source = Path(spec.origin)
        else:
            continue
        link = target / source.name
        if not link.exists():
            link.symlink_to(source)
    return target


def check_lambda_imports(project: Path, site: Path) -> None:
    """Import the app the way Lambda would: the staged project, its vendor/ and nothing but
    the declared requirements (no venv site-packages). PackageError names what is missing."""
    code = "import sys; sys.path[:0] = sys.argv[1:]; import app  # noqa"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-c", code, str(project), str(project / "vendor"), str(site)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["?"])[-1]
        raise PackageError(
            f"the app does not import with only control_plane/requirements.txt installed ({last}):"
            f" pin the missing distribution there\n{result.stderr}"
        )


def cfn_lint(sam: Path, region: str, *, include_info: bool = False) -> subprocess.CompletedProcess[str]:
    """cfn-lint on the merged template; exit code 0 = no errors or warnings (nor infos if asked)."""
    extra = ["--include-checks", "I"] if include_info else []
    return subprocess.run(
        [_bin("cfn-lint"), "--regions", region, *extra, "--", str(sam)],
        capture_output=True,
        text=True,
        check=False,
    )


def package(
    stage: str,
    out: Path,
    *,
    work: Path | None = None,
    region: str = DEFAULT_REGION,
    with_deps: bool = True,
    keep_botocore: bool = False,
    lint: bool = False,
    check_requirements: bool = True,
) -> Path:
    """Build ``out/sam.yaml`` and ``out/deployment.zip``; return the template's path."""
    work = work or REPO / "build" / "chalice" / stage
    project = stage_project(work, with_deps=with_deps)
    if check_requirements:
        check_lambda_imports(project, lambda_site(work / "lambda-site"))
    sam = run_chalice_package(project, out, stage=stage, region=region, offline=not with_deps)
    if not keep_botocore:
        strip_runtime_provided(out / "deployment.zip")
    check_roles(load_template(sam))
    if lint:
        result = cfn_lint(sam, region)
        if result.returncode != 0:
            raise PackageError(f"cfn-lint found problems in {sam}:\n{result.stdout}{result.stderr}")
    return sam


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--stage", default="prod", help="Chalice stage of control_plane/.chalice/config.json")
    ap.add_argument("--out", type=Path, help="output dir (default build/package/<stage>)")
    ap.add_argument("--work", type=Path, help="staging dir (default build/chalice/<stage>)")
    ap.add_argument("--region", default=os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION)
    ap.add_argument("--no-deps", action="store_true", help="leave out third-party requirements (offline, lint only)")
    ap.add_argument("--keep-botocore", action="store_true", help="keep botocore/boto3/s3transfer in the zip")
    ap.add_argument("--lint", action="store_true", help="run cfn-lint on the merged template")
    a = ap.parse_args(argv)
    out = (a.out or REPO / "build" / "package" / a.stage).resolve()
    try:
        sam = package(
            a.stage,
            out,
            work=a.work.resolve() if a.work else None,
            region=a.region,
            with_deps=not a.no_deps,
            keep_botocore=a.keep_botocore,
            lint=a.lint,
        )
    except PackageError as exc:
        print(f"package: {exc}", file=sys.stderr)
        return 1
    size = (out / "deployment.zip").stat().st_size
    print(f"template: {sam}\ncode:     {out / 'deployment.zip'} ({size / 1e6:.1f} MB)")
    if a.lint:
        print("cfn-lint: clean")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
