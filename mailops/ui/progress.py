"""Progress bars in Spanish (tqdm's default line reads "it/s", "<" and "?")."""

from __future__ import annotations

__all__ = ["BAR_FORMAT"]

# e.g. "Aplicando cambios:  40%|████      | 2/5 [transcurrido 00:01, faltan 00:02]"
BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [transcurrido {elapsed}, faltan {remaining}]"
