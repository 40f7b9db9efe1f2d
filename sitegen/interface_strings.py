"""Layer 3.2. A theme chain's interface strings (i18n/<language>.toml): English as the
fallback, then the site's language, and the strings a language lacks told once.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from sitegen.errors import Problem
from sitegen.themes import Theme


def translations(chain: tuple[Theme, ...], language: str,
                 root: Path | None = None) -> dict[str, str]:
    """UI strings: English as the fallback, then the site's language, parent themes first,
    then the site's own `i18n/` folder (a site can add a language or change a word)."""
    strings: dict[str, str] = {}
    for path in _string_files(chain, ["en", *_codes(language)], root):
        strings.update(tomllib.loads(path.read_text("utf-8")))
    return strings


def missing_strings(chain: tuple[Theme, ...], language: str, root: Path | None,
                    edition: str) -> list[Problem]:
    """The interface strings English has that `language` lacks (an edition would show
    them in English): one warning naming the language and each key."""
    if _codes(language)[0] == "en":
        return []
    english = {k for p in _string_files(chain, ["en"], root)
               for k in tomllib.loads(p.read_text("utf-8"))}
    own = {k for p in _string_files(chain, _codes(language), root)
           for k in tomllib.loads(p.read_text("utf-8"))}
    missing = sorted(english - own)
    if not missing:
        return []
    name = f"edition '{edition}'" if edition else "the default edition ([site])"
    shown = ", ".join(missing)  # every key: the list is what to translate
    return [Problem(f"i18n/{_codes(language)[0]}.toml", 0, f"{name} is in '{language}', but "
                    f"the theme has no interface string in '{language}' for: {shown}: add "
                    f"them to i18n/{_codes(language)[0]}.toml in the site's folder (copy the "
                    "theme's i18n/en.toml and translate it); English is shown meanwhile",
                    warning=True, kind="missing interface string")]


def _codes(language: str) -> list[str]:
    return list(dict.fromkeys([language.split("_")[0].split("-")[0], language]))


def _string_files(chain: tuple[Theme, ...], codes: list[str], root: Path | None) -> list[Path]:
    folders = [*(theme.path / "i18n" for theme in reversed(chain)),
               *([root / "i18n"] if root is not None else [])]
    return [folder / f"{code}.toml" for folder in folders for code in dict.fromkeys(codes)
            if (folder / f"{code}.toml").is_file()]
