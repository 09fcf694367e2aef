"""Spanish text folded for comparison and for e-mail addresses.

``fold`` is how names, headers and search words are compared: «Secretaría  de Hacienda» and
«secretaria de hacienda» are the same. ``slug`` is what an address keeps of a name: «Muñoz»
→ «munoz», «D'Alemán» → «daleman».
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "slug"]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case, without accents, single spaces (underscores count as spaces)."""
    return re.sub(r"[\s_]+", " ", _strip_accents(text.casefold())).strip()


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", _strip_accents(text).lower())
