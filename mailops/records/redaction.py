"""Keeping secrets out of the archive.

Before anything is written to the archive, every string of the executed notebook and of the
record goes through a ``Redactor``: values of secret-looking names (``password``, ``token``,
``clave``...), private keys, OAuth tokens and the values of secret environment variables handed
to the kernel are replaced by ``[REDACTADO]``. Widget state (where a Password widget keeps its
value) is dropped whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from mailops.records.parameters import looks_secret

__all__ = ["REDACTED", "Redactor", "redact_notebook", "secret_values_from_env"]

REDACTED = "[REDACTADO]"
_MIN_SECRET_LENGTH = 6

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # PEM private keys, whole block (or a truncated one up to the end of the text).
    (
        re.compile(
            r"-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----"
            r"(?:.*?-----END[A-Z ]*PRIVATE KEY(?: BLOCK)?-----|.*)",
            re.DOTALL,
        ),
        REDACTED,
    ),
    # A service-account key file's private key field (also with escaped newlines).
    (re.compile(r'("private_key"\s*:\s*")(?:[^"\\]|\\.)*(")'), rf"\1{REDACTED}\2"),
    # Google OAuth access and refresh tokens, API keys, OAuth client secrets, JWTs.
    (re.compile(r"ya29\.[0-9A-Za-z_.\-]+"), REDACTED),
    (re.compile(r"\b1//[0-9A-Za-z_\-]{16,}"), REDACTED),
    (re.compile(r"\bAIza[0-9A-Za-z_\-]{30,}"), REDACTED),
    (re.compile(r"\bGOCSPX-[0-9A-Za-z_\-]+"), REDACTED),
    (re.compile(r"\beyJ[0-9A-Za-z_\-]+\.[0-9A-Za-z_\-]+\.[0-9A-Za-z_\-]+"), REDACTED),
    (re.compile(r"(?i)(\bBearer\s+)[0-9A-Za-z._~+/=\-]{8,}"), rf"\1{REDACTED}"),
    (
        re.compile(r"(?i)(\bAuthorization\s*[:=]\s*['\"]?Basic\s+)[0-9A-Za-z+/=]{4,}"),
        rf"\1{REDACTED}",
    ),
    # Credentials inside a URL: scheme://user:password@host
    (
        re.compile(r"(\b[A-Za-z][\w+.\-]{0,20}://[^/\s:@]{1,256}:)[^/\s@]{1,256}(@)"),
        rf"\1{REDACTED}\2",
    ),
    # name = value / name: value where the name looks secret (assignments, logs, URLs). The
    # name's affixes are bounded: unbounded ones backtrack quadratically on hyphenated text.
    # "secretaría", "secretario" (the office, the secretary) are not secrets.
    (
        re.compile(
            r"(?i)(\b[\w-]{0,40}?(?:password|passwd|contrase[nñ]a|clave|token|"
            r"secret(?!ar[ií][ao])[oa]?|api_?key|private_?key|pwd)[\w-]{0,40}['\"]?\s*(?:=|:)\s*)"
            r"(?:\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|[^\s,;&'\")}]+)"
        ),
        rf'\1"{REDACTED}"',
    ),
    # A quoted value right after a secret word, as error messages put it:
    # "invalid password 'xyz'", "la contraseña «xyz»".
    (
        re.compile(
            r"(?i)(\b(?:password|passwd|contrase[nñ]a|clave|token|secret[oa]?)\s+)"
            r"(?:'[^'\n]+'|\"[^\"\n]+\"|«[^»\n]+»)"
        ),
        rf'\1"{REDACTED}"',
    ),
)


# the shell's working directories: "PWD" reads as a password, but it is where we are, and
# scrubbing it would blank every path of the record
_NOT_SECRET_ENV = frozenset({"PWD", "OLDPWD"})


def secret_values_from_env(env: Mapping[str, str]) -> tuple[str, ...]:
    """Values of environment variables whose names look secret (long enough to be specific)."""
    return tuple(
        sorted(
            {
                v
                for k, v in env.items()
                if k not in _NOT_SECRET_ENV
                and looks_secret(k)
                and len(v.strip()) >= _MIN_SECRET_LENGTH
            }
        )
    )


class Redactor:
    """Removes secrets from text and JSON-like data.

    ``secret_values`` are exact strings to remove wherever they appear (the values of secret
    environment variables given to the kernel, for instance).
    """

    def __init__(self, secret_values: Iterable[str] = ()) -> None:
        values = sorted({v for v in secret_values if len(v) >= _MIN_SECRET_LENGTH}, key=len)
        self._values = tuple(reversed(values))

    def known_values(self, text: str) -> str:
        """Remove only the exact secret values given (no patterns)."""
        for value in self._values:
            if value in text:
                text = text.replace(value, REDACTED)
        return text

    def text(self, text: str) -> str:
        text = self.known_values(text)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def data(self, value: Any) -> Any:
        """A copy of JSON-like ``value`` with secrets removed; secret-named keys lose their value."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {
                k: (REDACTED if isinstance(k, str) and looks_secret(k) else self.data(v))
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.data(v) for v in value]
        return value


def _redact_source(source: Any, redactor: Redactor) -> Any:
    if isinstance(source, list):
        # nbformat's multi-line form: redact the whole text, so a key spanning lines goes whole
        source = "".join(str(line) for line in source)
    return redactor.text(source) if isinstance(source, str) else source


def _is_binary(mime: str) -> bool:
    """Base64 of binary content (images): text patterns would only corrupt it."""
    return mime.startswith("image/") and not mime.startswith("image/svg")


def _coalesce_streams(outputs: list[Any]) -> list[Any]:
    """Join consecutive stream outputs of the same name (as nbclient's ``coalesce_streams``),
    so a secret printed in two flushes is whole when it is redacted."""
    merged: list[Any] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and output.get("output_type") == "stream"
            and previous.get("output_type") == "stream"
            and output.get("name") == previous.get("name")
        ):
            previous["text"] = _text_of(previous.get("text")) + _text_of(output.get("text"))
        else:
            merged.append(output)
    return merged


def _text_of(value: Any) -> str:
    return "".join(str(v) for v in value) if isinstance(value, list) else str(value or "")


def redact_notebook(nb: Any, redactor: Redactor) -> Any:
    """Redact an executed notebook (an nbformat ``NotebookNode``) in place and return it.

    Drops widget state, redacts the parameters papermill copied into the metadata, every cell
    source (the injected-parameters cell included), every output and every error.
    """
    nb.metadata.pop("widgets", None)
    papermill_meta = nb.metadata.get("papermill")
    if papermill_meta is not None:
        for key in ("parameters", "default_parameters", "environment_variables"):
            if key in papermill_meta:
                papermill_meta[key] = redactor.data(dict(papermill_meta[key] or {}))
    for cell in nb.cells:
        cell.source = _redact_source(cell.source, redactor)
        cell.metadata.pop("widgets", None)
        if "outputs" in cell:
            cell.outputs = _coalesce_streams(list(cell.outputs))
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = _redact_source(output["text"], redactor)
            if "data" in output:
                output["data"] = {
                    mime: (
                        content
                        if _is_binary(mime)
                        else _redact_source(content, redactor)
                        if isinstance(content, str | list)
                        else redactor.data(content)
                    )
                    for mime, content in output["data"].items()
                }
            if output.get("output_type") == "error":
                output["ename"] = redactor.text(str(output.get("ename", "")))
                output["evalue"] = redactor.text(str(output.get("evalue", "")))
                output["traceback"] = [redactor.text(t) for t in output.get("traceback", [])]
    return nb
