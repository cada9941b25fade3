"""template.yaml merged into ``chalice package`` output: cfn-lint is clean and the security
properties hold (TTL, KMS, public access, least-privilege roles, secrets never literal).

Packages with ``infra/package.py --no-deps`` into a tmp dir: no third-party download, no AWS
credentials, and HTTP(S) proxies pointed at a closed loopback port so that any attempt to
reach the network fails instead of leaving the machine.
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from control_plane.cdr_reports import service as cdr_reports
from control_plane.core import crypto, keys, store
from control_plane.provisioning.store import ProvisioningItem
from control_plane.tenant_jobs import exporter
from control_plane.tenant_jobs import store as jobs_store
from infra import package

pytestmark = pytest.mark.aws

REGION = "ap-southeast-1"
DEAD_PROXY = "http://127.0.0.1:9"  # discard port: nothing listens, connections fail at once


@dataclass(frozen=True)
class Packaged:
    out: Path
    sam: Path
    template: dict[str, Any]

    @property
    def resources(self) -> dict[str, Any]:
        res: dict[str, Any] = self.template["Resources"]
        return res

    def props(self, name: str) -> dict[str, Any]:
        props: dict[str, Any] = self.resources[name]["Properties"]
        return props


@pytest.fixture(scope="module")
def offline() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
            mp.setenv(var, DEAD_PROXY)
        for var in ("NO_PROXY", "no_proxy"):
            mp.delenv(var, raising=False)
        mp.setenv("PIP_NO_INDEX", "1")
        mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
        yield


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory, offline: None) -> Packaged:
    tmp = tmp_path_factory.mktemp("package")
    out = tmp / "out"
    # the requirements check has its own test below
    sam = package.package("prod", out, work=tmp / "work", region=REGION, with_deps=False, check_requirements=False)
    return Packaged(out=out, sam=sam, template=package.load_template(sam))


def _ref_name(value: Any) -> str | None:
    """The resource a Ref / GetAtt / Sub("${X.Arn}...") points at."""
    if isinstance(value, dict):
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            return str(value["Fn::GetAtt"][0])
        if "Fn::Sub" in value and isinstance(value["Fn::Sub"], str) and value["Fn::Sub"].startswith("${"):
            return value["Fn::Sub"][2:].split("}", 1)[0].split(".", 1)[0]
    return None


def _listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _policy_statements(p: Packaged) -> Iterator[tuple[str, dict[str, Any]]]:
    """(owner, statement) for every identity policy statement of every role/managed policy."""
    for name, res in p.resources.items():
        if res["Type"] == "AWS::IAM::Role":
            for policy in res["Properties"].get("Policies", []):
                for st in policy["PolicyDocument"]["Statement"]:
                    yield f"{name}/{policy['PolicyName']}", st
            assert not res["Properties"].get("ManagedPolicyArns"), f"{name}: managed policies are too broad"
        elif res["Type"] == "AWS::IAM::ManagedPolicy":
            for st in res["Properties"]["PolicyDocument"]["Statement"]:
                yield name, st


# --- cfn-lint --------------------------------------------------------------------------
def test_cfn_lint_is_clean_on_merged_template(packaged: Packaged) -> None:
    result = package.cfn_lint(packaged.sam, REGION, include_info=True)
    assert result.returncode == 0, f"cfn-lint:\n{result.stdout}{result.stderr}"


def test_merge_kept_chalice_resources_and_added_ours(packaged: Packaged) -> None:
    r = packaged.resources
    assert r["APIHandler"]["Type"] == "AWS::Serverless::Function"
    assert r["APIHandler"]["Properties"]["Handler"] == "app.app"  # Chalice's, not lost in the merge
    assert r["JwtAuth"]["Properties"]["Handler"] == "app.jwt_auth"
    assert r["RestAPI"]["Properties"]["DefinitionBody"]["paths"], "the API's routes survived the merge"
    assert r["RestAPI"]["Properties"]["MethodSettings"][0]["ThrottlingRateLimit"] == {"Ref": "ApiThrottleRateLimit"}
    for name in ("Table", "RecordingsBucket", "Key", "KeyAlias", "ApiHandlerRole", "AuthorizerRole"):
        assert name in r, name
    outputs = packaged.template["Outputs"]
    for name in ("ApiUrl", "TableName", "RecordingsBucketName"):
        assert name in outputs, name


# --- DynamoDB --------------------------------------------------------------------------
def test_table_matches_the_store_model(packaged: Packaged) -> None:
    table = packaged.resources["Table"]
    props = table["Properties"]
    key_schema = {k["KeyType"]: k["AttributeName"] for k in props["KeySchema"]}
    assert key_schema == {"HASH": store.Item.pk.attr_name, "RANGE": store.Item.sk.attr_name}
    assert {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]} == {"pk": "S", "sk": "S"}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["TimeToLiveSpecification"] == {
        "AttributeName": ProvisioningItem.ttl.attr_name,
        "Enabled": True,
    }
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert "GlobalSecondaryIndexes" not in props  # the stores use none
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"


# --- S3 --------------------------------------------------------------------------------
def test_bucket_is_kms_encrypted_private_and_versioned(packaged: Packaged) -> None:
    bucket = packaged.resources["RecordingsBucket"]
    props = bucket["Properties"]
    [rule] = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    default = rule["ServerSideEncryptionByDefault"]
    assert default["SSEAlgorithm"] == "aws:kms"
    assert _ref_name(default["KMSMasterKeyID"]) == "Key"
    assert rule["BucketKeyEnabled"] is True
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["DeletionPolicy"] == "Retain"


def test_bucket_lifecycle_holds_for_every_tenant(packaged: Packaged) -> None:
    rules = packaged.props("RecordingsBucket")["LifecycleConfiguration"]["Rules"]
    assert all(r["Status"] == "Enabled" for r in rules)
    for r in rules:  # no tenant prefix filter: tenants/<id>/... are all treated alike
        for prefix in (r.get("Prefix"), r.get("Filter", {}).get("Prefix")):
            assert prefix is None or not prefix.startswith("tenants"), r["Id"]
    assert any(r.get("AbortIncompleteMultipartUpload", {}).get("DaysAfterInitiation") for r in rules)
    classes = [t["StorageClass"] for r in rules for t in r.get("Transitions", [])]
    assert "STANDARD_IA" in classes


def test_bucket_policy_denies_plain_http(packaged: Packaged) -> None:
    statements = packaged.props("RecordingsBucketPolicy")["PolicyDocument"]["Statement"]
    tls = [s for s in statements if s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"]
    assert tls and tls[0]["Effect"] == "Deny"


# --- IAM -------------------------------------------------------------------------------
def test_every_function_runs_with_its_own_template_role(packaged: Packaged) -> None:
    package.check_roles(packaged.template)
    r = packaged.resources
    assert r["APIHandler"]["Properties"]["Role"] == {"Fn::GetAtt": ["ApiHandlerRole", "Arn"]}
    assert r["JwtAuth"]["Properties"]["Role"] == {"Fn::GetAtt": ["AuthorizerRole", "Arn"]}
    text = packaged.sam.read_text()
    assert package.PLACEHOLDER_ROLE not in text
    assert "DefaultRole" not in r  # Chalice manages no role


def test_data_permissions_name_the_table_bucket_and_key(packaged: Packaged) -> None:
    expected = {"dynamodb": "Table", "s3": "RecordingsBucket", "kms": "Key"}
    seen: set[str] = set()
    for owner, st in _policy_statements(packaged):
        actions = _listify(st["Action"])
        services = {a.split(":", 1)[0] for a in actions}
        assert "*" not in actions, owner
        for service, resource in expected.items():
            if service not in services:
                continue
            assert services == {service}, f"{owner}: one service per statement keeps resources exact"
            seen.add(service)
            for res in _listify(st["Resource"]):
                assert res != "*" and not (isinstance(res, str) and res.endswith(":*")), f"{owner}: {res}"
                assert _ref_name(res) == resource, f"{owner}: {service} on {res}"
            if st["Effect"] == "Allow":
                assert not any(a.endswith("*") for a in actions), f"{owner}: wildcard action {actions}"
    assert seen == set(expected)


def test_dynamodb_access_is_limited_by_leading_keys_and_never_scans(packaged: Packaged) -> None:
    for owner, st in _policy_statements(packaged):
        actions = _listify(st["Action"])
        if not any(a.startswith("dynamodb:") for a in actions) or st["Effect"] != "Allow":
            continue
        assert "dynamodb:Scan" not in actions, owner
        leading = st["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
        assert leading and "*" not in leading, owner


def _documented_partition_keys() -> list[str]:
    """A sample pk of every row of the layout table in core/keys.py's docstring.

    ``T#<tenant_id>#CDR`` becomes ``T#x1#CDR``; each ``literal`` of the pk column counts.
    """
    doc = keys.__doc__ or ""
    samples: list[str] = []
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 3 or "``" not in cells[1]:
            continue
        for literal in re.findall(r"``([^`]+)``", cells[1]):
            samples.append(re.sub(r"<[^>]+>", "x1", literal))
    return samples


def test_api_role_covers_every_partition_family_of_the_store(packaged: Packaged) -> None:
    policies = packaged.props("ApiHandlerRole")["Policies"]
    [table] = [p for p in policies if p["PolicyName"] == "table"]
    [st] = table["PolicyDocument"]["Statement"]
    patterns = st["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
    documented = _documented_partition_keys()
    assert len(documented) >= 8, f"core/keys.py's layout table not found: {documented}"
    pks = [*documented, keys.tenant_pk("t1"), keys.cdr_pk("t1"), keys.cdr_id_pk("t1"), keys.REGISTRY_PK]
    denied = [pk for pk in pks if not any(fnmatch.fnmatchcase(pk, p) for p in patterns)]
    assert not denied, f"add their families to ApiHandlerRole's dynamodb:LeadingKeys in template.yaml: {denied}"


def test_authorizer_only_reads_single_identity_items(packaged: Packaged) -> None:
    allowed = {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "kms:Decrypt",
        "dynamodb:GetItem",
        "secretsmanager:GetSecretValue",
    }
    for policy in packaged.props("AuthorizerRole")["Policies"]:
        for st in policy["PolicyDocument"]["Statement"]:
            if st["Effect"] == "Allow":
                assert set(_listify(st["Action"])) <= allowed, st["Action"]
    # what users.service.resolve reads: sessions, users, edges, API keys, issued tokens
    reads = ["SESSION#x1", keys.tenant_pk("t1"), keys.PROVIDER_PK, "EDGE#edge-1", "APIKEY#x1", keys.ISSUED_TOKENS_PK]
    statements = [st for p in packaged.props("AuthorizerRole")["Policies"] for st in p["PolicyDocument"]["Statement"]]
    [get] = [st for st in statements if "dynamodb:GetItem" in _listify(st["Action"])]
    patterns = get["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
    assert all(any(fnmatch.fnmatchcase(pk, p) for p in patterns) for pk in reads)
    assert "PROBOX_SECRET_KEY" not in packaged.props("JwtAuth")["Environment"]["Variables"]


# --- secrets and functions -------------------------------------------------------------
def test_secrets_are_read_at_run_time_never_put_in_an_environment(packaged: Packaged) -> None:
    """Issue 13 item 7: a function's environment is readable by whoever may read its
    configuration; the functions get the secret's id and read the values themselves."""
    params = packaged.template["Parameters"]
    assert "Default" not in params["AppSecretId"]
    for name, res in packaged.resources.items():
        if res["Type"] != "AWS::Serverless::Function":
            continue
        variables = res["Properties"].get("Environment", {}).get("Variables", {})
        assert not {"PROBOX_JWT_SECRET", "PROBOX_SECRET_KEY"} & set(variables), name
        assert "resolve:secretsmanager" not in json.dumps(variables), name
    for fn, role in (("APIHandler", "ApiHandlerRole"), ("JwtAuth", "AuthorizerRole")):
        assert _ref_name(packaged.props(fn)["Environment"]["Variables"]["PROBOX_SECRETS_ID"]) == "AppSecretId"
        [read] = [st for st in _statements(packaged, role) if "secretsmanager:GetSecretValue" in _listify(st["Action"])]
        assert _listify(read["Action"]) == ["secretsmanager:GetSecretValue"] and "*" not in json.dumps(read["Resource"])
    assert _ref_name(packaged.template["Globals"]["Function"]["KmsKeyArn"]) == "Key"


def test_function_handlers_exist_in_the_package(packaged: Packaged) -> None:
    names = set(zipfile.ZipFile(packaged.out / "deployment.zip").namelist())
    functions = [n for n, r in packaged.resources.items() if r["Type"] == "AWS::Serverless::Function"]
    assert {"APIHandler", "JwtAuth"} <= set(functions)
    for name in functions:
        props = packaged.props(name)
        assert props["CodeUri"] == "./deployment.zip", name
        module = props["Handler"].rsplit(".", 1)[0].replace(".", "/") + ".py"
        assert module in names, f"{name}: {module} is not in the package"
        assert isinstance(props["FunctionName"], dict), f"{name}: give it a per-stage FunctionName in template.yaml"


def test_scheduled_functions_have_their_own_narrow_roles(packaged: Packaged) -> None:
    scheduled = [
        n
        for n, r in packaged.resources.items()
        if r["Type"] == "AWS::Serverless::Function"
        and any(e["Type"] in ("Schedule", "ScheduleV2") for e in r["Properties"].get("Events", {}).values())
    ]
    assert {"RotateSipPasswords", "RecordingHousekeeping"} <= set(scheduled)
    roles = {_ref_name(packaged.props(n)["Role"]) for n in scheduled}
    assert not roles & {"ApiHandlerRole", "AuthorizerRole"}
    rotation = packaged.props("RotateSipPasswordsRole")["Policies"]
    statements = [st for p in rotation for st in p["PolicyDocument"]["Statement"]]
    assert not any(a.startswith("s3:") for st in statements for a in _listify(st["Action"]))
    [deny] = [st for st in statements if st["Effect"] == "Deny"]
    patterns = deny["Condition"]["ForAnyValue:StringLike"]["dynamodb:LeadingKeys"]
    for pk in (keys.cdr_pk("t1"), keys.cdr_id_pk("t1")):
        assert any(fnmatch.fnmatchcase(pk, p) for p in patterns), f"rotation may touch {pk}"
    assert not any(fnmatch.fnmatchcase(keys.tenant_pk("t1"), p) for p in patterns)


def test_recording_housekeeping_role_is_exact(packaged: Packaged) -> None:
    r = packaged.resources
    fn = r["RecordingHousekeeping"]["Properties"]
    assert fn["Handler"] == "app.recording_housekeeping"
    assert [e["Type"] for e in fn["Events"].values()] == ["Schedule"]
    assert _ref_name(fn["Role"]) == "RecordingHousekeepingRole"
    assert "PROBOX_SECRET_KEY" not in fn.get("Environment", {}).get("Variables", {})  # it decrypts nothing
    statements = [
        st for p in packaged.props("RecordingHousekeepingRole")["Policies"] for st in p["PolicyDocument"]["Statement"]
    ]
    allowed = {a for st in statements if st["Effect"] == "Allow" for a in _listify(st["Action"])}
    s3_actions = {a for a in allowed if a.startswith("s3:")}
    assert s3_actions == {"s3:DeleteObject"}  # no reads, no writes, no listing
    [s3_st] = [st for st in statements if "s3:DeleteObject" in _listify(st["Action"])]
    assert s3_st["Resource"] == {"Fn::Sub": "${RecordingsBucket.Arn}/tenants/*/recordings/*"}
    assert {a for a in allowed if a.startswith("kms:")} == {"kms:Decrypt"}
    assert "dynamodb:Scan" not in allowed
    [table] = [st for st in statements if st["Effect"] == "Allow" and "dynamodb:Query" in _listify(st["Action"])]
    patterns = table["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
    needed = [
        keys.REGISTRY_PK,
        keys.VERSION_PK,
        keys.tenant_pk("t1"),
        keys.rec_pk("t1"),
        keys.cdr_pk("t1"),
        keys.event_pk("t1"),
    ]
    assert all(any(fnmatch.fnmatchcase(pk, p) for p in patterns) for pk in needed), patterns
    for pk in ("PROVIDER", "SESSION#x", "APIKEY#x", "EDGE#e", "IDEMPOTENCY#cdr"):
        assert not any(fnmatch.fnmatchcase(pk, p) for p in patterns), pk
    [deny] = [st for st in statements if st["Effect"] == "Deny"]
    denied = deny["Condition"]["ForAnyValue:StringLike"]["dynamodb:LeadingKeys"]
    assert any(fnmatch.fnmatchcase(keys.cdr_id_pk("t1"), p) for p in denied)
    for pk in needed:
        assert not any(fnmatch.fnmatchcase(pk, p) for p in denied), pk
    # the API may delete recordings too (delete_oldest right after an ingest) and the edges'
    # uploads it took (issue 13), nothing else
    api = [st for p in packaged.props("ApiHandlerRole")["Policies"] for st in p["PolicyDocument"]["Statement"]]
    assert _resources_of(api, "s3:DeleteObject") == _objects("tenants/*/recordings/*", "incoming/*")
    assert any("s3:GetObject" in _listify(st["Action"]) for st in api)  # presigned playback links


def test_lambda_package_imports_pbx_core_from_its_own_tree(packaged: Packaged, tmp_path: Path) -> None:
    root = tmp_path / "lambda"
    with zipfile.ZipFile(packaged.out / "deployment.zip") as z:
        z.extractall(root)
    assert (root / "pbx_core" / "__init__.py").exists()
    assert not list(root.rglob("__pycache__"))
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import app, pbx_core, control_plane, reports;"
        "assert callable(app.run_tenant_job);"
        "print(json.dumps([pbx_core.__file__, control_plane.__file__, reports.__file__, type(app.app).__name__]))"
    )
    # -I: no PYTHONPATH, no cwd on sys.path; the package's tree comes first, as in Lambda.
    result = subprocess.run(
        [sys.executable, "-I", "-c", code, str(root)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    pbx_file, lib_file, reports_file, app_type = json.loads(result.stdout)
    assert pbx_file.startswith(str(root)) and lib_file.startswith(str(root)) and reports_file.startswith(str(root))
    assert app_type == "Chalice"


def test_app_imports_with_only_the_declared_lambda_requirements(packaged: Packaged, tmp_path: Path) -> None:
    """control_plane/requirements.txt (+ their dependencies, + the runtime's boto3) is all the
    Lambda has: a module the app imports from elsewhere would fail there, not here."""
    project = packaged.out.parent / "work" / "project"
    package.check_lambda_imports(project, package.lambda_site(tmp_path / "site"))


def test_strip_removes_only_what_the_runtime_ships(tmp_path: Path) -> None:
    zpath = tmp_path / "deployment.zip"
    keep = ["app.py", "control_plane/core/store.py", "pynamodb/models.py", "botocore_ext/x.py", "jmespath/__init__.py"]
    drop = ["botocore/client.py", "botocore-1.40.0.dist-info/METADATA", "boto3/session.py", "s3transfer/manager.py"]
    with zipfile.ZipFile(zpath, "w") as z:
        for name in keep + drop:
            z.writestr(name, "x" * 1000)
    package.strip_runtime_provided(zpath)
    assert sorted(zipfile.ZipFile(zpath).namelist()) == sorted(keep)


def test_local_stage_takes_its_environment_from_the_os() -> None:
    config = json.loads((package.CONTROL_PLANE / ".chalice" / "config.json").read_text())
    assert "environment_variables" not in config
    assert "dev" in config["stages"]  # `chalice local` without --stage
    assert "environment_variables" not in config["stages"]["dev"]
    for stage in ("staging", "prod"):
        assert config["stages"][stage]["manage_iam_role"] is False


# --- stored secrets (KMS) and rate limits -------------------------------------------------
def _kms_statements(p: Packaged, role: str) -> list[dict[str, Any]]:
    return [
        st
        for policy in p.props(role)["Policies"]
        for st in policy["PolicyDocument"]["Statement"]
        if any(a.startswith("kms:") for a in _listify(st["Action"]))
    ]


def _tenant_context_only(st: dict[str, Any]) -> bool:
    """The statement applies only to requests under a tenant's stored-secret context."""
    cond = st.get("Condition", {})
    return (
        cond.get("StringEquals", {}).get("kms:EncryptionContext:purpose") == crypto.PURPOSE
        and cond.get("Null", {}).get("kms:EncryptionContext:tenant_id") == "false"
        and set(cond.get("ForAllValues:StringEquals", {}).get("kms:EncryptionContextKeys", []))
        == set(crypto._encryption_context("t1"))
    )


def _never_a_tenant_secret(st: dict[str, Any]) -> bool:
    cond = st.get("Condition", {})
    via_s3 = str(cond.get("StringEquals", {}).get("kms:ViaService", {}).get("Fn::Sub", "")).startswith("s3.")
    return via_s3 or cond.get("Null", {}).get("kms:EncryptionContext:tenant_id") == "true"


def test_stored_secrets_use_the_stack_key_with_least_privilege(packaged: Packaged) -> None:
    api_env = packaged.props("APIHandler")["Environment"]["Variables"]
    rotation_env = packaged.props("RotateSipPasswords")["Environment"]["Variables"]
    for env in (api_env, rotation_env):
        assert _ref_name(env["PROBOX_KMS_KEY_ID"]) == "Key"
    assert "PROBOX_SECRET_KEY" not in rotation_env  # it only encrypts, with KMS
    for fn in ("JwtAuth", "RecordingHousekeeping"):  # they touch no stored secret
        assert "PROBOX_KMS_KEY_ID" not in packaged.props(fn).get("Environment", {}).get("Variables", {})
    assert "PROBOX_KMS_KEY_ID" not in packaged.template["Globals"]["Function"]["Environment"]["Variables"]

    api = _kms_statements(packaged, "ApiHandlerRole")
    actions = {a for st in api for a in _listify(st["Action"])}
    assert actions == {"kms:GenerateDataKey", "kms:Decrypt"}  # no Encrypt, no admin
    secrets = [st for st in api if _tenant_context_only(st)]
    assert len(secrets) == 1 and set(_listify(secrets[0]["Action"])) == {"kms:GenerateDataKey", "kms:Decrypt"}
    for st in api:
        assert st is secrets[0] or _never_a_tenant_secret(st), st

    rotation = _kms_statements(packaged, "RotateSipPasswordsRole")
    [seal] = [st for st in rotation if "kms:GenerateDataKey" in _listify(st["Action"])]
    assert _listify(seal["Action"]) == ["kms:GenerateDataKey"] and _tenant_context_only(seal)
    for st in rotation:
        assert st is seal or (_listify(st["Action"]) == ["kms:Decrypt"] and _never_a_tenant_secret(st))
    for role in ("AuthorizerRole", "RecordingHousekeepingRole"):
        for st in _kms_statements(packaged, role):
            assert _listify(st["Action"]) == ["kms:Decrypt"] and _never_a_tenant_secret(st), role


def test_rate_limits_are_settings_and_the_stage_is_throttled(packaged: Packaged) -> None:
    params = packaged.template["Parameters"]
    env = packaged.props("APIHandler")["Environment"]["Variables"]
    assert env["PROBOX_RATE_LIMIT_TENANT"] == {"Ref": "RateLimitTenantPerMinute"}
    assert env["PROBOX_RATE_LIMIT_PRINCIPAL"] == {"Ref": "RateLimitCallerPerMinute"}
    assert env["PROBOX_RATE_LIMIT_WINDOW_S"] == "60"
    assert params["RateLimitTenantPerMinute"]["Default"] > params["RateLimitCallerPerMinute"]["Default"] > 0
    [method] = packaged.props("RestAPI")["MethodSettings"]
    assert method["ResourcePath"] == "/*" and method["HttpMethod"] == "*"
    assert method["ThrottlingRateLimit"] == {"Ref": "ApiThrottleRateLimit"}
    assert method["ThrottlingBurstLimit"] == {"Ref": "ApiThrottleBurstLimit"}
    assert params["ApiThrottleBurstLimit"]["Default"] >= params["ApiThrottleRateLimit"]["Default"] > 0


def test_every_answer_type_is_binary_to_api_gateway(packaged: Packaged) -> None:
    """API Gateway decodes a base64 body only when the request's first Accept type is a
    binary media type: a phone asking with ``Accept: */*`` gets its encrypted config as
    bytes only when ``*/*`` is one (Chalice's own list names application/octet-stream)."""
    body = packaged.props("RestAPI")["DefinitionBody"]
    assert body["x-amazon-apigateway-binary-media-types"] == ["*/*"]


# --- tenant jobs (S6) and Excel reports (F9) ------------------------------------------------
def _statements(p: Packaged, role: str) -> list[dict[str, Any]]:
    return [st for policy in p.props(role)["Policies"] for st in policy["PolicyDocument"]["Statement"]]


def _resources_of(statements: list[dict[str, Any]], action: str) -> set[str]:
    """The resources (Fn::Sub text) on which ``action`` is allowed."""
    out: set[str] = set()
    for st in statements:
        if st["Effect"] == "Allow" and action in _listify(st["Action"]):
            for res in _listify(st["Resource"]):
                out.add(res["Fn::Sub"] if isinstance(res, dict) and "Fn::Sub" in res else json.dumps(res))
    return out


def _objects(*paths: str) -> set[str]:
    return {"${RecordingsBucket.Arn}/" + p for p in paths}


def test_tenant_jobs_run_in_their_own_function(packaged: Packaged) -> None:
    fn = packaged.props("TenantJobs")
    assert fn["Handler"] == "app.run_tenant_job"
    assert fn["Timeout"] == 900 and fn["MemorySize"] >= 1024
    assert fn["Runtime"] == packaged.props("APIHandler")["Runtime"]
    assert _ref_name(fn["Role"]) == "TenantJobsRole"
    env = fn["Environment"]["Variables"]
    assert _ref_name(env["PROBOX_KMS_KEY_ID"]) == "Key"  # an import seals new SIP passwords
    assert "PROBOX_SECRET_KEY" not in env and "PROBOX_JWT_SECRET" not in env  # it decrypts and signs nothing
    # deployed, the API hands every job to that function and may invoke nothing else
    assert packaged.props("APIHandler")["Environment"]["Variables"]["PROBOX_JOBS_FUNCTION"] == {"Ref": "TenantJobs"}
    invoke = [
        (role, st)
        for role, res in packaged.resources.items()
        if res["Type"] == "AWS::IAM::Role"
        for st in _statements(packaged, role)
        if any(a.startswith("lambda:") for a in _listify(st["Action"]))
    ]
    assert [(role, st["Action"], st["Resource"]) for role, st in invoke] == [
        ("ApiHandlerRole", "lambda:InvokeFunction", {"Fn::GetAtt": ["TenantJobs", "Arn"]})
    ]


def test_tenant_jobs_role_reaches_what_a_job_touches_and_no_more(packaged: Packaged) -> None:
    statements = _statements(packaged, "TenantJobsRole")
    [table] = [st for st in statements if "dynamodb:Query" in _listify(st["Action"])]
    assert set(_listify(table["Action"])) == {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:ConditionCheckItem",
    }
    patterns = table["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
    needed = [
        keys.jobs_pk("t1"),
        keys.tenant_pk("t1"),
        keys.cdr_pk("t1"),
        keys.cdr_id_pk("t1"),
        keys.rec_pk("t1"),
        keys.event_pk("t1"),
        keys.rate_pk("t1"),
        keys.REGISTRY_PK,
        keys.EDGE_REGISTRY_PK,
        keys.PLAN_PK,
        keys.VERSION_PK,
        "EDGE#edge-1",
        "DOMAIN#a.probox.vn",
        "DID#0901234567",
        "EMAIL#a@b.vn",
        "APIKEY#x1",
        "DEVTOK#x1",
    ]
    assert [pk for pk in needed if not any(fnmatch.fnmatchcase(pk, p) for p in patterns)] == []
    for pk in (keys.PROVIDER_PK, "SESSION#x", "THROTTLE#x", "PROV#x", keys.IDEMPOTENCY_PK):
        assert not any(fnmatch.fnmatchcase(pk, p) for p in patterns), pk

    # S3: recordings and archives in, archives and imported recordings out, deletions only
    # under tenants/, listing only of tenants/.
    s3 = {a for st in statements for a in _listify(st["Action"]) if a.startswith("s3:")}
    assert s3 == {
        "s3:GetObject",
        "s3:PutObject",
        "s3:AbortMultipartUpload",
        "s3:PutObjectTagging",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:ListBucket",
        "s3:ListBucketVersions",
    }
    assert _resources_of(statements, "s3:GetObject") == _objects(
        "tenants/*/recordings/*", "exports/*", "imports/*", "tenants/*/reports/contact-imports/*"
    )
    assert _resources_of(statements, "s3:PutObject") == _objects("exports/*", "tenants/*/recordings/*")
    assert _resources_of(statements, "s3:PutObjectTagging") == _objects("exports/*")
    for action in ("s3:DeleteObject", "s3:DeleteObjectVersion"):
        assert _resources_of(statements, action) == _objects("tenants/*")
    [listing] = [st for st in statements if "s3:ListBucketVersions" in _listify(st["Action"])]
    assert listing["Condition"] == {"StringLike": {"s3:prefix": "tenants/*"}}

    # KMS: seal new secrets of a tenant (an import), nothing of a tenant's secrets decrypted
    kms = _kms_statements(packaged, "TenantJobsRole")
    [seal] = [st for st in kms if _tenant_context_only(st)]
    assert _listify(seal["Action"]) == ["kms:GenerateDataKey"]
    for st in kms:
        assert st is seal or _never_a_tenant_secret(st), st
    assert not any("kms:Encrypt" in _listify(st["Action"]) for st in kms)


def test_api_role_signs_archives_and_writes_only_reports(packaged: Packaged) -> None:
    statements = _statements(packaged, "ApiHandlerRole")
    assert _resources_of(statements, "s3:GetObject") == _objects("tenants/*", "exports/*", "imports/*", "incoming/*")
    # its only writes: Excel reports of a tenant, presigned uploads of import archives, and
    # the recordings it moves from the edges' uploads to the keys it derived (issue 13)
    assert _resources_of(statements, "s3:PutObject") == _objects(
        "tenants/*/reports/*", "imports/*", "tenants/*/recordings/*"
    )
    assert _resources_of(statements, "s3:DeleteObject") == _objects("tenants/*/recordings/*", "incoming/*")
    assert _resources_of(statements, "s3:PutObjectTagging") == _objects("tenants/*/reports/*")
    for fmt in (cdr_reports.XLSX, cdr_reports.CSV):  # Excel and CSV exports alike
        assert cdr_reports.report_key("t1", "rpt_1", fmt).startswith("tenants/t1/reports/")


def test_archives_and_reports_expire_as_the_code_says(packaged: Packaged) -> None:
    rules = packaged.props("RecordingsBucket")["LifecycleConfiguration"]["Rules"]
    tagged = {f"{t['Key']}={t['Value']}": r["ExpirationInDays"] for r in rules for t in r.get("TagFilters", [])}
    assert tagged[exporter.ARCHIVE_TAGGING] == jobs_store.JOB_TTL_DAYS  # archives go with their job records
    assert tagged[cdr_reports.TAGGING] == cdr_reports.KEPT_DAYS  # what the API promises
    [imports] = [r for r in rules if r.get("Prefix") == "imports/"]
    assert imports["ExpirationInDays"] == jobs_store.JOB_TTL_DAYS


def test_an_edge_writes_only_under_its_own_prefix(packaged: Packaged) -> None:
    """Issue 13: an edge's identity puts objects under incoming/<its edge id>/ (an IAM
    principal tag) and nothing else: no tenant's prefix, no other edge's uploads, no reads."""
    doc = packaged.props("EdgeRecordingsPolicy")["PolicyDocument"]
    actions = {a for st in doc["Statement"] if st["Effect"] == "Allow" for a in _listify(st["Action"])}
    assert actions == {"s3:PutObject", "kms:GenerateDataKey", "kms:Decrypt"}
    assert _resources_of(doc["Statement"], "s3:PutObject") == _objects("incoming/${!aws:PrincipalTag/probox-edge-id}/*")
    [put] = [st for st in doc["Statement"] if "s3:PutObject" in _listify(st["Action"])]
    assert put["Condition"] == {"StringLike": {"aws:PrincipalTag/probox-edge-id": "?*"}}
    rules = packaged.props("RecordingsBucket")["LifecycleConfiguration"]["Rules"]
    [incoming] = [r for r in rules if r.get("Prefix") == "incoming/"]
    assert incoming["ExpirationInDays"] <= 30  # uploads no accepted CDR moved do not stay


# --- the web console (issue 15): private bucket behind CloudFront (OAC), HTTPS only ----------------
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


def test_console_bucket_is_private_and_read_only_by_its_distribution(packaged: Packaged) -> None:
    props = packaged.props("ConsoleBucket")
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert "WebsiteConfiguration" not in props  # no public website endpoint: CloudFront only
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    statements = packaged.props("ConsoleBucketPolicy")["PolicyDocument"]["Statement"]
    allows = [st for st in statements if st["Effect"] == "Allow"]
    assert len(allows) == 1
    [allow] = allows
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    source = allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source.endswith(":distribution/${ConsoleDistribution}"), source  # this distribution only
    tls = [s for s in statements if s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"]
    assert tls and tls[0]["Effect"] == "Deny"
    oac = packaged.props("ConsoleOriginAccessControl")["OriginAccessControlConfig"]
    assert (oac["OriginAccessControlOriginType"], oac["SigningBehavior"], oac["SigningProtocol"]) == (
        "s3",
        "always",
        "sigv4",
    )
    config = packaged.props("ConsoleDistribution")["DistributionConfig"]
    [origin] = [o for o in config["Origins"] if o["Id"] == "console"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["ConsoleOriginAccessControl", "Id"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}  # OAC, not the legacy OAI
    assert _ref_name(origin["DomainName"]) == "ConsoleBucket"
    # no function or edge role may write it: only the deploy step (infra/deploy_console.py) does
    for owner, st in _policy_statements(packaged):
        for res in _listify(st.get("Resource", [])):
            assert _ref_name(res) != "ConsoleBucket", owner


def test_console_is_https_only_and_shares_its_origin_with_the_api(packaged: Packaged) -> None:
    config = packaged.props("ConsoleDistribution")["DistributionConfig"]
    assert config["Enabled"] is True and config["DefaultRootObject"] == "index.html"
    default = config["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == "console"
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"  # http:// never serves content
    assert default["AllowedMethods"] == ["GET", "HEAD"]
    by_path = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert set(by_path) == {"/v1/*", "/provision/*", "/ws"}
    assert by_path.pop("/ws")["TargetOriginId"] == "live"  # test_live_websocket_shares_the_consoles_origin
    for b in by_path.values():
        assert b["TargetOriginId"] == "api"
        assert b["ViewerProtocolPolicy"] == "https-only"  # a token is never sent to an http:// redirect
        assert b["CachePolicyId"] == CACHING_DISABLED
        assert {"POST", "PATCH", "DELETE"} <= set(b["AllowedMethods"])
    [api] = [o for o in config["Origins"] if o["Id"] == "api"]
    assert api["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert api["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]
    assert api["DomainName"]["Fn::Sub"].startswith("${RestAPI}.execute-api.")
    assert api["OriginPath"] == "/api"
    # the API believes CloudFront-Viewer-Address (forwarded by AllViewerExceptHostHeader) only
    # with this origin secret, resolved from the app secret at deploy time (core/api.py source_ip)
    [verify] = api["OriginCustomHeaders"]
    assert verify["HeaderName"] == "X-ProBox-Origin-Verify"
    assert verify["HeaderValue"]["Fn::Sub"] == "{{resolve:secretsmanager:${AppSecretId}:SecretString:origin_verify}}"
    # with a custom domain: TLS 1.2 at least (the default certificate is CloudFront's own)
    custom = config["ViewerCertificate"]["Fn::If"][1]
    assert custom["MinimumProtocolVersion"] == "TLSv1.2_2021" and custom["SslSupportMethod"] == "sni-only"
    outputs = packaged.template["Outputs"]
    for name in ("ConsoleUrl", "ConsoleBucketName", "ConsoleDistributionId"):
        assert name in outputs, name


def test_console_headers_are_the_local_servers(packaged: Packaged) -> None:
    from infra import console

    policy = packaged.props("ConsoleHeaders")["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = policy["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    # the same policy infra/console.py serves locally, audio from the recordings bucket
    assert csp == console.content_security_policy(["https://${RecordingsBucket.RegionalDomainName}"])
    assert policy["ContentSecurityPolicy"]["Override"] is True
    assert policy["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert policy["FrameOptions"]["FrameOption"] == "DENY"
    assert policy["ReferrerPolicy"]["ReferrerPolicy"] == "no-referrer"
    config = packaged.props("ConsoleDistribution")["DistributionConfig"]
    assert config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == {"Ref": "ConsoleHeaders"}


# --- live events and webhooks (issue 15) --------------------------------------------------------
WS_POST = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebsocketAPI}/ws/POST/@connections/*"
WS_DELETE = WS_POST.replace("/POST/", "/DELETE/")


def test_live_websocket_functions_are_chalices_with_a_narrow_role(packaged: Packaged) -> None:
    r = packaged.resources
    assert r["WebsocketAPI"]["Properties"]["ProtocolType"] == "WEBSOCKET"
    assert packaged.props("WebsocketAPIStage")["StageName"] == "ws"  # the console's /ws (CloudFront)
    assert packaged.props("WebsocketAPIStage")["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0
    handlers = {"WebsocketConnect": "app.ws_connect", "WebsocketMessage": "app.ws_message"}
    handlers["WebsocketDisconnect"] = "app.ws_disconnect"
    for fn, handler in handlers.items():
        props = packaged.props(fn)
        assert props["Handler"] == handler and _ref_name(props["Role"]) == "WebsocketRole", fn
        env = props.get("Environment", {}).get("Variables", {})
        assert not {"PROBOX_KMS_KEY_ID", "PROBOX_SECRETS_ID"} & set(env), fn  # no secret of anyone
    statements = _statements(packaged, "WebsocketRole")
    actions = {a for st in statements for a in _listify(st["Action"])}
    assert actions == {
        "logs:CreateLogStream", "logs:PutLogEvents", "kms:Decrypt", "dynamodb:GetItem", "dynamodb:Query",
        "dynamodb:PutItem", "dynamodb:DeleteItem", "execute-api:ManageConnections",
    }  # fmt: skip
    [table] = [st for st in statements if "dynamodb:Query" in _listify(st["Action"])]
    patterns = table["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
    needed = [
        keys.ws_ticket("x1")[0], keys.ws_connection("c1")[0], keys.ws_pk("t1"), keys.live_pk("t1"),
        keys.live_event_pk("t1"), keys.tenant_pk("t1"), "SESSION#x1",
    ]  # fmt: skip
    assert [pk for pk in needed if not any(fnmatch.fnmatchcase(pk, p) for p in patterns)] == []
    for pk in (keys.PROVIDER_PK, "APIKEY#x", keys.EDGE_HEALTH_PK, "EDGE#e", keys.IDEMPOTENCY_PK):
        assert not any(fnmatch.fnmatchcase(pk, p) for p in patterns), pk
    [push] = [st for st in statements if "execute-api:ManageConnections" in _listify(st["Action"])]
    assert {res["Fn::Sub"] for res in push["Resource"]} == {WS_POST, WS_DELETE}  # its own API's connections
    for st in _kms_statements(packaged, "WebsocketRole"):
        assert _never_a_tenant_secret(st)


def test_the_api_pushes_to_the_websocket_and_queues_webhooks_only(packaged: Packaged) -> None:
    env = packaged.props("APIHandler")["Environment"]["Variables"]
    assert env["PROBOX_WS_ENDPOINT"]["Fn::Sub"].startswith("https://${WebsocketAPI}.execute-api.")
    assert env["PROBOX_WS_ENDPOINT"]["Fn::Sub"].endswith("/ws")
    assert env["PROBOX_WEBHOOK_QUEUE_URL"] == {"Ref": "WebhookQueue"}
    assert "PROBOX_WEBHOOKS_ALLOW_PRIVATE" not in env  # receivers on private addresses: local stacks only
    statements = _statements(packaged, "ApiHandlerRole")
    [push] = [st for st in statements if "execute-api:ManageConnections" in _listify(st["Action"])]
    assert push["Resource"] == {"Fn::Sub": WS_POST}  # post only: it never closes connections
    sqs = [
        (st["Action"], st["Resource"]) for st in statements if any(a.startswith("sqs:") for a in _listify(st["Action"]))
    ]
    assert sqs == [("sqs:SendMessage", {"Fn::GetAtt": ["WebhookQueue", "Arn"]})]
    [table] = [st for st in statements if "dynamodb:Query" in _listify(st["Action"])]
    patterns = table["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
    for pk in (keys.ws_ticket("x")[0], keys.ws_connection("c")[0], keys.EDGE_HEALTH_PK, keys.live_id_pk("t1")):
        assert any(fnmatch.fnmatchcase(pk, p) for p in patterns), pk


def test_live_websocket_shares_the_consoles_origin(packaged: Packaged) -> None:
    config = packaged.props("ConsoleDistribution")["DistributionConfig"]
    [live] = [o for o in config["Origins"] if o["Id"] == "live"]
    assert live["DomainName"]["Fn::Sub"].startswith("${WebsocketAPI}.execute-api.")
    assert "OriginPath" not in live  # /ws is the stage's own path
    assert live["CustomOriginConfig"] == {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]}
    [ws] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/ws"]
    assert ws["ViewerProtocolPolicy"] == "https-only" and ws["CachePolicyId"] == CACHING_DISABLED
    assert ws["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"  # query (ticket) and upgrade headers
    from control_plane.core import settings

    assert settings.live_url() == "/ws"  # where the console opens it unless PROBOX_LIVE_URL says otherwise


def test_webhook_deliveries_run_from_a_fifo_queue_with_partial_batch_responses(packaged: Packaged) -> None:
    queue = packaged.props("WebhookQueue")
    assert queue["FifoQueue"] is True and queue["SqsManagedSseEnabled"] is True
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["WebhookDeadLetterQueue", "Arn"]}
    assert packaged.props("WebhookDeadLetterQueue")["FifoQueue"] is True
    fn = packaged.props("WebhookDelivery")
    assert fn["Handler"] == "app.deliver_webhooks" and _ref_name(fn["Role"]) == "WebhookDeliveryRole"
    assert queue["VisibilityTimeout"] >= 6 * fn["Timeout"]
    [source] = fn["Events"].values()
    assert source["Type"] == "SQS" and source["Properties"]["Queue"] == {"Fn::GetAtt": ["WebhookQueue", "Arn"]}
    assert source["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert source["Properties"]["BatchSize"] <= 10
    env = fn["Environment"]["Variables"]
    assert env["PROBOX_WEBHOOK_QUEUE_URL"] == {"Ref": "WebhookQueue"}
    assert env["PROBOX_WEBHOOK_MAX_ATTEMPTS"] == {"Ref": "WebhookMaxAttempts"}
    assert "PROBOX_WEBHOOKS_ALLOW_PRIVATE" not in env
    statements = _statements(packaged, "WebhookDeliveryRole")
    allowed = {a for st in statements for a in _listify(st["Action"])}
    assert {a for a in allowed if a.startswith("sqs:")} == {
        "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
    }  # fmt: skip
    assert {a for a in allowed if a.startswith("dynamodb:")} == {"dynamodb:GetItem", "dynamodb:UpdateItem"}
    assert not any(a.startswith(("s3:", "execute-api:", "lambda:")) for a in allowed)
    kms = _kms_statements(packaged, "WebhookDeliveryRole")
    [opens] = [st for st in kms if _tenant_context_only(st)]
    assert _listify(opens["Action"]) == ["kms:Decrypt"]  # opens webhook secrets, seals nothing
    for st in kms:
        assert st is opens or _never_a_tenant_secret(st)
