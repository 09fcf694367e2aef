"""Applying a plan: batches through the executor, a journal, resumable, never twice.

How no account is created twice or lost, even when the process is killed at any point:

1. Steps the journal has as ``done`` for this batch since the plan was made are skipped (a
   step done *before* the plan was made and still planned is needed again: the directory
   changed since, e.g. the account was deleted).
2. A create the journal has as intended but unconfirmed (the previous run died after
   sending it, or before) is verified first: the account is looked up by address and by
   documento; if it is there and carries the person's documento, the step is done; if the
   address belongs to someone else, the step fails and asks for a new plan; only if it is
   absent is it sent again.
3. For each chunk of creates: the person's password is issued to the sealed credentials file
   (fsync), the intention is committed to the journal, and only then are the calls sent; each
   final result is journaled from ``on_result``. A 409 after a retry is resolved by
   ``Call.confirm`` (the account is ours if it carries the documento).
4. Then the other steps (groups, aliases, unit moves...), which are idempotent: an "already
   a member" or "alias already there" answer counts as done, a 404 on a removal too.

Re-applying a completed plan does nothing (every step is ``done``), and planning the same form
again yields no steps, because every person is found by documento.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mailops.errors import AlreadyExistsError, NotFoundError, WorkspaceError
from mailops.provisioning.changes import Plan, Step
from mailops.provisioning.credentials import ROUNDS_DEFAULT, CredentialsFile
from mailops.provisioning.journal import Journal
from mailops.workspace import Call, ItemResult, Workspace, directory_calls

__all__ = ["ApplyReport", "StepFailure", "apply_plan"]

Ownership = Literal["ours", "other", "absent"]


@dataclass(frozen=True)
class StepFailure:
    user: str
    change: str
    error: str


@dataclass(frozen=True)
class ApplyReport:
    """What applying did. Says where the credentials are and how many, never what they are."""

    batch_id: str
    total: int
    done: int
    already_done: int
    skipped: int
    failures: tuple[StepFailure, ...]
    created: tuple[str, ...]
    journal_path: Path
    credentials_path: Path | None
    credentials_count: int
    http_requests: int = 0
    retried: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures and not self.skipped

    def text(self) -> str:
        lines = [
            f"Lote {self.batch_id}: {self.total} cambios; {self.done} aplicados ahora, "
            f"{self.already_done} ya estaban hechos, {len(self.failures)} fallidos, "
            f"{self.skipped} omitidos.",
            f"Cuentas creadas en esta ejecución: {len(self.created)}.",
        ]
        if self.credentials_path is not None:
            lines.append(
                f"Contraseñas iniciales: {self.credentials_count} en el archivo sellado "
                f"{self.credentials_path} (solo legible por su propietario; no se muestran)."
            )
        lines.append(f"Diario de cambios: {self.journal_path}.")
        for f in self.failures:
            lines.append(f"- {f.user}: no se pudo {f.change}: {f.error}")
        if self.skipped:
            lines.append(
                f"{self.skipped} cambios se omitieron porque la creación de su cuenta falló; "
                "corrija y vuelva a aplicar."
            )
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "lote": self.batch_id,
            "cambios": self.total,
            "aplicados": self.done,
            "ya_hechos": self.already_done,
            "omitidos": self.skipped,
            "fallidos": [dataclasses.asdict(f) for f in self.failures],
            "cuentas_creadas": list(self.created),
            "diario": str(self.journal_path),
            "archivo_credenciales": str(self.credentials_path) if self.credentials_path else None,
            "credenciales_emitidas": self.credentials_count,
        }


def ownership(ws: Workspace, step: Step) -> Ownership:
    """Whether the account ``step`` would create already exists and is the person's."""
    user = ws.directory.users_find(step.user)
    if user is not None:
        return "ours" if user.document_id == step.document_id else "other"
    if step.document_id:
        found = ws.directory.users_list(query=f"externalId='{step.document_id}'")
        if any(u.document_id == step.document_id for u in found):
            return "ours"
    return "absent"


def _confirm(ws: Workspace, step: Step) -> Callable[[], dict[str, Any] | None]:
    def confirm() -> dict[str, Any] | None:
        user = ws.directory.users_find(step.user)
        if user is not None and user.document_id == step.document_id:
            return dict(user.raw)
        return None

    return confirm


def _call(step: Step, credentials: CredentialsFile | None) -> Call:
    k = step.kind
    if k == "create":
        assert credentials is not None and step.body is not None
        issued = credentials.issue(step.document_id, step.user)
        body = dict(step.body)
        body.update(
            password=issued.password_hash, hashFunction="crypt", changePasswordAtNextLogin=True
        )
        return directory_calls.users_insert(body, key=step.key)
    if k == "reset_password":
        assert credentials is not None
        issued = credentials.issue(step.document_id or step.user, step.user)
        change = {
            "password": issued.password_hash,
            "hashFunction": "crypt",
            "changePasswordAtNextLogin": True,
        }
        call = directory_calls.users_patch(step.user, change)
    elif k == "move_ou":
        call = directory_calls.users_patch(step.user, {"orgUnitPath": step.target})
    elif k in ("suspend", "restore"):
        call = directory_calls.users_patch(step.user, {"suspended": k == "suspend"})
    elif k == "add_group":
        call = directory_calls.members_insert(step.target, step.user)
    elif k == "remove_group":
        call = directory_calls.members_delete(step.target, step.user)
    elif k == "add_alias":
        call = directory_calls.user_aliases_insert(step.user, step.target)
    elif k == "remove_alias":
        call = directory_calls.user_aliases_delete(step.user, step.target)
    else:  # pragma: no cover - StepKind is closed
        raise ValueError(k)
    return dataclasses.replace(call, key=step.key)


def _harmless(step: Step, error: WorkspaceError) -> bool:
    if step.kind in ("add_group", "add_alias") and isinstance(error, AlreadyExistsError):
        return True
    return step.kind in ("remove_group", "remove_alias") and isinstance(error, NotFoundError)


def _chunks(items: Sequence[Step], size: int) -> Iterator[Sequence[Step]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _progress_bar(total: int, initial: int, enabled: bool) -> Any:
    from tqdm.auto import tqdm

    from mailops.ui.progress import BAR_FORMAT

    return tqdm(
        total=total,
        initial=initial,
        disable=not enabled,
        desc="Aplicando cambios",
        unit="cambio",
        bar_format=BAR_FORMAT,
    )


@dataclass
class _Run:
    ws: Workspace
    plan: Plan
    journal: Journal
    done: int = 0
    already: int = 0
    failures: list[StepFailure] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    failed_users: set[str] = field(default_factory=set)
    pending_commits: int = 0
    retried: int = 0

    def fail(self, step: Step, error: str) -> None:
        self.failures.append(StepFailure(step.user, step.describe(), error))
        if step.kind == "create":
            self.failed_users.add(step.user)

    def on_result(self, steps: dict[str, Step]) -> Callable[[Call, ItemResult], None]:
        batch = self.plan.batch_id

        def record(call: Call, result: ItemResult) -> None:
            step = steps[call.key]
            ok, note = result.ok, ""
            if result.error is not None and step.kind == "create":
                if isinstance(result.error, AlreadyExistsError):
                    found = ownership(self.ws, step)
                    ok = found == "ours"
                    note = "ya existía (verificada por documento)" if ok else str(result.error)
                else:
                    note = str(result.error)
            elif result.error is not None:
                ok = _harmless(step, result.error)
                note = "ya estaba aplicado" if ok else str(result.error)
            elif result.confirmed:
                note = "confirmada tras reintento"
            self.journal.finish(batch, step, ok, attempts=result.attempts, note=note)
            self.pending_commits += 1
            if self.pending_commits >= 50:
                self.journal.commit()
                self.pending_commits = 0
            if ok:
                self.done += 1
                if step.kind == "create" and result.error is None:
                    self.created.append(step.user)
            else:
                self.fail(step, note)

        return record


def apply_plan(
    ws: Workspace,
    plan: Plan,
    *,
    journal: Journal | None = None,
    credentials: CredentialsFile | None = None,
    progress: bool = True,
    hash_rounds: int = ROUNDS_DEFAULT,
    chunk_size: int | None = None,
) -> ApplyReport:
    """Execute ``plan``'s steps, resumably (see the module docstring).

    ``credentials`` defaults to ``<state_dir>/credenciales/<batch>.csv``, the journal to
    ``<state_dir>/aprovisionamiento/diario.sqlite3``. ``progress`` shows a tqdm bar.
    """
    own_journal = journal is None
    jr = journal or Journal.for_state(ws.settings.state_dir)
    try:
        return _apply(ws, plan, jr, credentials, progress, hash_rounds, chunk_size)
    finally:
        if own_journal:
            jr.close()


def _reconcile(ws: Workspace, plan: Plan, journal: Journal) -> None:
    """Settle entries a killed run left unconfirmed that the (re-built) plan no longer has.

    A new plan is built from the directory, so a step missing from it is already in effect
    (its create was found by documento) or no longer wanted; creates are still verified.
    """
    wanted = {s.key for s in plan.steps}
    for entry in journal.entries(plan.batch_id):
        if entry.status != "intended" or entry.step in wanted:
            continue
        if entry.kind == "create":
            step = Step("create", entry.user, entry.target, entry.step.split("|", 1)[0])
            found = ownership(ws, step)
            ok = found == "ours"
            note = "verificada en el directorio" if ok else "no se confirmó: la cuenta no existe"
        else:
            ok, note = True, "ya no hacía falta al volver a planear"
        journal.settle(plan.batch_id, entry.step, ok, note)


def _apply(
    ws: Workspace,
    plan: Plan,
    journal: Journal,
    credentials: CredentialsFile | None,
    progress: bool,
    hash_rounds: int,
    chunk_size: int | None,
) -> ApplyReport:
    batch = plan.batch_id
    _reconcile(ws, plan, journal)
    status = journal.status(batch)
    # A step done after this plan was made is done for it; one done before the plan was made
    # but planned again is needed again (the directory changed since: e.g. a deleted account).
    done = journal.done_since(batch, plan.created_at)
    steps = plan.steps
    run = _Run(ws, plan, journal)
    todo = [s for s in steps if s.key not in done]
    run.already = len(steps) - len(todo)
    needs_secret = any(s.kind in ("create", "reset_password") for s in todo)
    creds = credentials
    if creds is None and needs_secret:
        creds = CredentialsFile.for_batch(ws.settings.state_dir, batch, rounds=hash_rounds)
    bar = _progress_bar(len(steps), run.already, progress)
    size = chunk_size or max(ws.settings.batch_size * 2, 1)
    try:
        creates: list[Step] = []
        for s in todo:
            if s.kind != "create":
                continue
            if s.key in status:  # sent before, result unknown or failed: verify first
                found = ownership(ws, s)
                if found == "ours":
                    journal.intend(batch, [s])
                    journal.finish(batch, s, True, note="verificada en el directorio")
                    journal.commit()
                    run.already += 1
                    bar.update(1)
                    continue
                if found == "other":
                    run.fail(s, "la dirección ya es de otra persona; vuelva a planear el formato")
                    bar.update(1)
                    continue
            creates.append(s)
        for phase in (creates, [s for s in todo if s.kind != "create"]):
            runnable = [s for s in phase if s.kind == "create" or s.user not in run.failed_users]
            skipped_now = len(phase) - len(runnable)
            bar.update(skipped_now)
            for chunk in _chunks(runnable, size):
                by_key = {s.key: s for s in chunk}
                calls = []
                for s in chunk:
                    call = _call(s, creds)  # a new credential is fsync-ed here
                    if s.kind == "create":
                        call = dataclasses.replace(call, confirm=_confirm(ws, s))
                    calls.append(call)
                journal.intend(batch, chunk)  # committed before anything is sent
                sent = ws.run_batch(calls, on_result=run.on_result(by_key), progress=bar.update)
                run.retried += sent.retried
                journal.commit()
    finally:
        journal.commit()
        bar.close()
    skipped = sum(1 for s in todo if s.kind != "create" and s.user in run.failed_users)
    return ApplyReport(
        batch_id=batch,
        total=len(steps),
        done=run.done,
        already_done=run.already,
        skipped=skipped,
        failures=tuple(run.failures),
        created=tuple(run.created),
        journal_path=journal.path,
        credentials_path=creds.path if creds is not None and creds.path.exists() else None,
        credentials_count=creds.count if creds is not None and creds.path.exists() else 0,
        http_requests=ws.executor.http_requests,
        retried=run.retried,
    )
