from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailops.errors import SettingsError
from mailops.settings import Settings
from mailops.workspace.services import (
    ServiceFactory,
    discovery_document,
    least_scope,
    method_scopes,
)

SCOPE = "https://www.googleapis.com/auth/"


@pytest.mark.parametrize(
    ("method", "scope"),
    [
        ("users.list", "admin.directory.user.readonly"),
        ("users.insert", "admin.directory.user"),
        ("users.aliases.insert", "admin.directory.user.alias"),
        ("members.hasMember", "admin.directory.group.member.readonly"),
        ("members.insert", "admin.directory.group.member"),
        ("orgunits.list", "admin.directory.orgunit.readonly"),
    ],
)
def test_least_scope_is_read_from_the_discovery_document(method: str, scope: str) -> None:
    assert least_scope(method_scopes("directory", method)) == SCOPE + scope


@pytest.mark.parametrize(
    ("api", "method", "scope"),
    [
        ("gmail", "users.messages.send", "gmail.send"),
        ("gmail", "users.messages.list", "gmail.readonly"),
        ("gmail", "users.messages.get", "gmail.readonly"),
        ("gmail", "users.settings.updateVacation", "gmail.settings.basic"),
        ("gmail", "users.settings.forwardingAddresses.create", "gmail.settings.sharing"),
        ("reports", "userUsageReport.get", "admin.reports.usage.readonly"),
        ("reports", "activities.list", "admin.reports.audit.readonly"),
    ],
)
def test_gmail_and_reports_get_grantable_narrow_scopes(api: str, method: str, scope: str) -> None:
    assert least_scope(method_scopes(api, method)) == SCOPE + scope


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError):
        method_scopes("directory", "users.teleport")


def test_emulator_services_point_every_uri_at_the_emulator() -> None:
    factory = ServiceFactory(Settings(), base_url="http://127.0.0.1:9/")
    svc = factory.service("directory")
    request = svc.users().get(userKey="ana@cajica.example")
    assert request.uri.startswith(
        "http://127.0.0.1:9/admin/directory/v1/users/ana%40cajica.example"
    )
    assert svc.new_batch_http_request()._batch_uri == "http://127.0.0.1:9/batch"
    assert "authorization" not in {k.lower() for k in request.headers}


def test_discovery_documents_are_fresh_copies() -> None:
    doc = discovery_document("directory")
    doc["rootUrl"] = "http://changed/"
    assert discovery_document("directory")["rootUrl"] == "https://admin.googleapis.com/"


def _service_account_key(tmp_path: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    path = tmp_path / "sa.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "alcaldia",
                "private_key_id": "abc",
                "private_key": pem,
                "client_email": "mailops@alcaldia.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
    )
    return path


def test_google_services_impersonate_the_delegated_admin_with_the_least_scope(
    tmp_path: Path,
) -> None:
    settings = Settings(backend="google", service_account_key=_service_account_key(tmp_path))
    factory = ServiceFactory(settings)
    svc = factory.service("directory", "users.list")
    creds = svc._http.credentials
    assert creds._subject == "admin@cajica.example"
    assert creds._scopes == [SCOPE + "admin.directory.user.readonly"]
    assert svc.users().list(customer="my_customer").uri.startswith("https://admin.googleapis.com/")


def test_gmail_calls_act_as_the_mailbox_s_user(tmp_path: Path) -> None:
    from mailops.workspace import Call, Executor

    settings = Settings(backend="google", service_account_key=_service_account_key(tmp_path))
    executor = Executor(ServiceFactory(settings))
    mailbox = executor.request(
        Call("gmail", "users.messages.list", {"userId": "pruebas@cajica.example"})
    )
    assert mailbox.http.credentials._subject == "pruebas@cajica.example"
    me = executor.request(Call("gmail", "users.messages.list", {"userId": "me"}))
    assert me.http.credentials._subject == "admin@cajica.example"
    directory = executor.request(Call("directory", "users.get", {"userKey": "ana@cajica.example"}))
    assert directory.http.credentials._subject == "admin@cajica.example"


def test_a_broken_key_file_is_a_settings_error_that_does_not_echo_the_file(tmp_path: Path) -> None:
    key = tmp_path / "sa.json"
    key.write_text('{"private_key": "-----BEGIN PRIVATE KEY-----SECRETO"}')
    factory = ServiceFactory(Settings(backend="google", service_account_key=key))
    with pytest.raises(SettingsError) as info:
        factory.service("directory", "users.get")
    assert info.value.key == "service_account_key"
    assert "SECRETO" not in str(info.value)


def test_emulator_factory_needs_a_url() -> None:
    with pytest.raises(ValueError):
        ServiceFactory(Settings())
