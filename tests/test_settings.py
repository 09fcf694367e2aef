from __future__ import annotations

from pathlib import Path

import pytest

from mailops.errors import SettingsError
from mailops.settings import Domain, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mailops.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_run_the_emulator_when_nothing_is_configured(tmp_path: Path) -> None:
    s = load_settings(env={}, cwd=tmp_path)
    assert s.backend == "emulator"
    assert s.emulator_url is None
    assert s.state_dir == tmp_path / ".mailops"
    assert s.archive_root == tmp_path / "reports" / "archive"
    assert s.emulator_state_file == tmp_path / ".mailops" / "emulator.sqlite3"
    assert s.domain("cajica.gov.example").origin == "gel"


def test_file_found_in_a_parent_folder_and_paths_relative_to_it(tmp_path: Path) -> None:
    write(tmp_path, 'state_dir = "estado"\narchive_root = "archivo"\n')
    sub = tmp_path / "notebooks"
    sub.mkdir()
    s = load_settings(env={}, cwd=sub)
    assert s.state_dir == tmp_path / "estado"
    assert s.archive_root == tmp_path / "archivo"
    assert s.source == tmp_path / "mailops.toml"


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    write(tmp_path, 'emulator_url = "http://127.0.0.1:1/"\n')
    env = {
        "MAILOPS_EMULATOR_URL": "http://127.0.0.1:8765/",
        "MAILOPS_STATE_DIR": str(tmp_path / "otro"),
        "MAILOPS_ARCHIVE_ROOT": str(tmp_path / "arch"),
        "MAILOPS_BACKEND": "emulator",
    }
    s = load_settings(env=env, cwd=tmp_path)
    assert s.emulator_url == "http://127.0.0.1:8765/"
    assert s.state_dir == tmp_path / "otro"
    assert s.archive_root == tmp_path / "arch"


def test_domains_with_their_origin(tmp_path: Path) -> None:
    write(
        tmp_path,
        'primary_domain = "alcaldia.example"\n[domains]\n"alcaldia.example" = "municipio"\n'
        '"alcaldia.gov.example" = "gel"\n',
    )
    s = load_settings(env={}, cwd=tmp_path)
    assert s.domains == (
        Domain("alcaldia.example", "municipio"),
        Domain("alcaldia.gov.example", "gel"),
    )
    assert "Gobierno en Línea" in s.domain("alcaldia.gov.example").origin_label


@pytest.mark.parametrize(
    ("text", "env", "key", "fragment"),
    [
        ('backend = "azure"\n', {}, "backend", "«emulator» o «google»"),
        ("", {"MAILOPS_BACKEND": "nube"}, "backend", "«emulator» o «google»"),
        ("batch_size = 5000\n", {}, "batch_size", "entre 1 y 1000"),
        ('batch_size = "muchos"\n', {}, "batch_size", "número entero"),
        ("", {"MAILOPS_QUOTA_PER_MINUTE": "-3"}, "quota_per_minute", "entre 1"),
        ('delegated_admin = "admin"\n', {}, "delegated_admin", "no es una dirección"),
        ('customer_id = "cliente 1"\n', {}, "customer_id", "my_customer"),
        ('emulator_url = "localhost"\n', {}, "emulator_url", "no es una URL"),
        ('primary_domain = "otro.example"\n', {}, "domains", "debe figurar"),
        ('[domains]\n"x.example" = "privado"\n', {}, "domains.x.example", "«municipio» o «gel»"),
        ('backend = "google"\n', {}, "service_account_key", "cuenta de servicio"),
        (
            'backend = "google"\nservice_account_key = "no-existe.json"\n',
            {},
            "service_account_key",
            "no existe",
        ),
        ('colour = "azul"\n', {}, "colour", "clave desconocida"),
        ("backend = \n", {}, "mailops.toml", "TOML válido"),
        ("", {"MAILOPS_CONFIG": "/nonexistent/mailops.toml"}, "MAILOPS_CONFIG", "no existe"),
    ],
)
def test_bad_settings_name_the_key_in_spanish(
    tmp_path: Path, text: str, env: dict[str, str], key: str, fragment: str
) -> None:
    write(tmp_path, text)
    with pytest.raises(SettingsError) as info:
        load_settings(env=env, cwd=tmp_path)
    assert info.value.key.endswith(key)
    assert fragment in str(info.value)
    assert f"«{info.value.key}»" in str(info.value)


def test_google_backend_accepts_an_existing_key_file(tmp_path: Path) -> None:
    key = tmp_path / "sa.json"
    key.write_text("{}", encoding="utf-8")
    write(tmp_path, f'backend = "google"\nservice_account_key = "{key.name}"\n')
    s = load_settings(env={}, cwd=tmp_path)
    assert s.backend == "google"
    assert s.service_account_key == key


def test_contract_facts_are_read_with_dates(tmp_path: Path) -> None:
    write(
        tmp_path,
        '[contract]\nnumber = "CD-1"\nprovider = "Proveedor"\nstart = 2026-01-01\nend = "2026-12-31"\nwarn_days = 15\n',
    )
    c = load_settings(env={}, cwd=tmp_path).contract
    assert c is not None
    assert (c.number, c.provider, c.warn_days) == ("CD-1", "Proveedor", 15)
    assert c.days_left(__import__("datetime").date(2026, 12, 1)) == 30


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ('[contract]\nprovider = "P"\nend = 2026-12-31\n', "contract.number", "falta"),
        (
            '[contract]\nnumber = "1"\nprovider = "P"\nend = "mañana"\n',
            "contract.end",
            "AAAA-MM-DD",
        ),
        (
            '[contract]\nnumber = "1"\nprovider = "P"\nstart = 2026-12-31\nend = 2026-01-01\n',
            "contract.end",
            "anterior",
        ),
        (
            '[contract]\nnumber = "1"\nprovider = "P"\nend = 2026-01-01\ncolor = 1\n',
            "contract.color",
            "desconocida",
        ),
        ('test_mailbox = "buzón"\n', "test_mailbox", "no es una dirección"),
        ('status_feed_url = "ftp:x"\n', "status_feed_url", "no es una URL"),
    ],
)
def test_bad_contract_and_service_settings_name_the_key(
    tmp_path: Path, text: str, key: str, fragment: str
) -> None:
    write(tmp_path, text)
    with pytest.raises(SettingsError) as info:
        load_settings(env={}, cwd=tmp_path)
    assert info.value.key == key
    assert fragment in str(info.value)
