"""The vetting policy: which rules run, how far back and how deep they look, and what flags.

A policy is data, not code, so that a vetting office can write its own and every run can record
exactly which one it applied (the audit trail keeps it with the outcome). Load one from a TOML or
JSON file; every key is optional and falls back to the documented default:

```toml
name = "default"             # a label, recorded with every run
lookback_years = 10          # incidents that ended before this many years ago are shown, not counted
min_confidence = "medium"    # weakest link needed for an allegation to flag (low | medium | high)
hierarchy_depth = 3          # chain-of-command levels the hierarchy and command rules walk
hierarchy_direction = "down" # down: units below the subject; up: units above it; both
unknown_dates = "review"     # a link that only *may* have held (unknown or partial dates): review | assume
former_links = "count"       # links that ended before the vetting date: count | review
mitigation_downgrades = false  # true: a conviction, reform or disbandment turns flag into review
rules = ["direct", "command", "hierarchy", "membership", "absorption", "sanctions", "risk"]
flag_rules = ["direct", "command", "hierarchy", "membership", "absorption", "sanctions"]
```

A TOML file may also put these keys under a `[vetting]` table. Why these defaults:

- ten years is a common horizon for partner vetting; older findings stay visible with low severity;
- medium confidence is the level at which a credible report names the actor; a low-confidence
  allegation is a reason to look closer (review), not to refuse;
- three levels cover battalion, brigade and division: the levels whose commanders plan and
  control operations. The apex (army, ministry) is reached only with a deeper policy;
- an unknown start or end, or a date given only to the year, may hide a commander who arrived
  after the incident; the default asks a human rather than assume either way;
- risk links (reliance on an illicit economy) are not perpetration, so they never flag by default.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

RULES = ("direct", "command", "hierarchy", "membership", "absorption", "sanctions", "risk")
CONFIDENCES = ("low", "medium", "high")
DIRECTIONS = ("down", "up", "both")


class PolicyError(ValueError):
    """The policy file is unreadable or a value is out of range; the message names the key."""


@dataclass(frozen=True)
class Policy:
    name: str = "default"
    lookback_years: int = 10
    min_confidence: str = "medium"
    hierarchy_depth: int = 3
    hierarchy_direction: str = "down"
    unknown_dates: str = "review"
    former_links: str = "count"
    mitigation_downgrades: bool = False
    rules: tuple[str, ...] = RULES
    flag_rules: tuple[str, ...] = ("direct", "command", "hierarchy", "membership", "absorption", "sanctions")

    def __post_init__(self) -> None:
        _check(isinstance(self.name, str) and bool(self.name.strip()), "name", "a non-empty string")
        _check(_is_int(self.lookback_years) and 0 <= self.lookback_years <= 200, "lookback_years", "an integer from 0 to 200")
        _check(self.min_confidence in CONFIDENCES, "min_confidence", f"one of {', '.join(CONFIDENCES)}")
        _check(_is_int(self.hierarchy_depth) and 1 <= self.hierarchy_depth <= 20, "hierarchy_depth", "an integer from 1 to 20")
        _check(self.hierarchy_direction in DIRECTIONS, "hierarchy_direction", f"one of {', '.join(DIRECTIONS)}")
        _check(self.unknown_dates in ("review", "assume"), "unknown_dates", "review or assume")
        _check(self.former_links in ("count", "review"), "former_links", "count or review")
        _check(isinstance(self.mitigation_downgrades, bool), "mitigation_downgrades", "true or false")
        for key in ("rules", "flag_rules"):
            values = getattr(self, key)
            _check(all(v in RULES for v in values), key, f"a list of rule names from {', '.join(RULES)}")
            object.__setattr__(self, key, tuple(dict.fromkeys(values)))

    @property
    def min_confidence_rank(self) -> int:
        return CONFIDENCES.index(self.min_confidence)

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["rules"], values["flag_rules"] = list(self.rules), list(self.flag_rules)
        return values

    @property
    def digest(self) -> str:
        """A short stable digest of the settings, so two runs can tell whether the policy changed."""
        text = json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def describe(self) -> str:
        """One line for report headers."""
        return (
            f"{self.name}: {self.lookback_years}-year lookback, minimum confidence {self.min_confidence}, "
            f"hierarchy {self.hierarchy_direction} {self.hierarchy_depth} level(s), unknown dates {self.unknown_dates}"
        )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check(ok: bool, key: str, expected: str) -> None:
    if not ok:
        raise PolicyError(f"policy key {key!r} must be {expected}")


DEFAULT_POLICY = Policy()


def policy_from_dict(values: dict[str, Any]) -> Policy:
    """Build a policy from plain values (TOML, JSON or a form); unknown keys are an error, because
    a misspelt key silently falling back to a default would change outcomes unnoticed."""
    if "vetting" in values and isinstance(values["vetting"], dict):
        values = values["vetting"]
    known = {f.name for f in fields(Policy)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise PolicyError(f"unknown policy key(s): {', '.join(unknown)}; known keys are {', '.join(sorted(known))}")
    prepared = dict(values)
    for key in ("rules", "flag_rules"):
        if key in prepared:
            if not isinstance(prepared[key], (list, tuple)):
                raise PolicyError(f"policy key {key!r} must be a list of rule names")
            prepared[key] = tuple(prepared[key])
    if isinstance(prepared.get("lookback_years"), float) or isinstance(prepared.get("hierarchy_depth"), float):
        raise PolicyError("policy keys 'lookback_years' and 'hierarchy_depth' must be integers")
    return Policy(**prepared)


def load_policy(path: Path | str | None) -> Policy:
    """The policy in a .toml or .json file, or the default policy when `path` is None."""
    if path is None:
        return DEFAULT_POLICY
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PolicyError(f"cannot read the policy file {path}: {error.strerror or error}") from None
    try:
        if path.suffix.lower() == ".json":
            values = json.loads(raw.decode("utf-8"))
        else:
            values = tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise PolicyError(f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'}: {error}") from None
    if not isinstance(values, dict):
        raise PolicyError(f"{path}: a policy is a table of keys, not {type(values).__name__}")
    return policy_from_dict(values)


__all__ = ["Policy", "PolicyError", "DEFAULT_POLICY", "RULES", "CONFIDENCES", "load_policy", "policy_from_dict"]
