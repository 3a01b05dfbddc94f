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
mitigation_downgrades = false  # true: a conviction, reform, disbandment or remediation turns flag into review
rules = ["direct", "command", "hierarchy", "membership", "absorption", "sanctions", "risk"]
flag_rules = ["direct", "command", "hierarchy", "membership", "absorption", "sanctions"]
lookback_applies_to = ["remediated", "alleged_gross", "not_gross", "links"]  # what time may clear
gross_violation_types = []   # violation types (local names) that are gross; empty: the vocabulary's ag:grossViolation
non_gross_violations = "flag"  # findings on incidents with no gross-violation type: flag | review
conviction_establishes = true  # a conviction of the subject for an incident establishes its perpetration
failure_to_punish = "review"   # took command after a unit's incident, no accountability recorded: review | context | off
succession_inherits = ["Renaming", "SuccessorOrganization", "Merger"]  # kinds that carry every finding
decision_valid_months = 12     # a vetter's decision (a vetting case) is in force this long, then expires
[sanctions_regimes]            # what a listing does, by ag:regimeType: flag | review | context
UNSecurityCouncilRegime = "flag"
UnilateralHumanRightsRegime = "flag"
UnilateralCounterTerrorismRegime = "flag"
DomesticProscription = "context"
OtherSanctionsRegime = "review"
```

A TOML file may also put these keys under a `[vetting]` table. Why these defaults (Leahy and the
UN Human Rights Due Diligence Policy):

- ten years is a common horizon for partner vetting, but time alone never restores eligibility
  under Leahy: the lookback clears only what `lookback_applies_to` names. `established_gross` (an
  established gross violation with no remediation recorded) is left out by default, so such a
  finding stays high however old it is; `remediated` (remediation or a conviction recorded for the
  incident), `alleged_gross`, `not_gross` and `links` (sanctions and risk links that ended) may age
  out and are then shown with low severity;
- gross violations of human rights are torture; extrajudicial, summary or arbitrary killing;
  enforced disappearance; rape or sexual violence; prolonged detention without charge or trial.
  The vocabulary marks each violation type (ontology/vocabularies.ttl, ag:grossViolation);
  findings on other types still flag by default, because the HRDDP also covers grave violations of
  humanitarian law (child recruitment, attacks on civilians); a strict Leahy office sets
  `non_gross_violations = "review"`;
- a conviction of the subject for an incident is the strongest evidence of its perpetration, so it
  establishes it and is never shown as the subject's own mitigation;
- a commander who took over after a unit's incident bears no command responsibility for it, but an
  unpunished incident in the unit is worth a look: review, never "held during";
- a renamed body, a successor or a merger is the same organization for vetting; a splinter is a new
  one, so it keeps only the record of its parent up to the split (the absorption rule);
- listings count by regime type (ag:regimeType): UN Security Council and unilateral human-rights or
  counter-terrorism regimes flag; a state's domestic proscription of a group is shown as context
  only, because states proscribe their opponents and victims too; a listing without a regime type
  is "other", which asks a human (review): it is not ignored, but its basis is not known to be
  a human-rights or security finding;
- medium confidence is the level at which a credible report names the actor; a low-confidence
  allegation is a reason to look closer (review), not to refuse;
- three levels cover battalion, brigade and division: the levels whose commanders plan and
  control operations. The apex (army, ministry) is reached only with a deeper policy;
- an unknown start or end, or a date given only to the year, may hide a commander who arrived
  after the incident; the default asks a human rather than assume either way;
- risk links (reliance on an illicit economy) are not perpetration, so they never flag by default;
- a human decision on a partner rests on what was known when it was taken, so it lapses: one year
  is the usual validity of a Leahy vetting, after which the partner is vetted again.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from graph.errors import InvalidValueError

RULES = ("direct", "command", "hierarchy", "membership", "absorption", "sanctions", "risk")
LOOKBACK_CATEGORIES = ("established_gross", "remediated", "alleged_gross", "not_gross", "links")
REGIME_TYPES = ("UNSecurityCouncilRegime", "UnilateralHumanRightsRegime", "UnilateralCounterTerrorismRegime",
                "DomesticProscription", "OtherSanctionsRegime")
REGIME_EFFECTS = ("flag", "review", "context")
SUCCESSION_KINDS = ("Renaming", "SuccessorOrganization", "Merger", "Splinter")
DEFAULT_SANCTIONS_REGIMES = {
    "UNSecurityCouncilRegime": "flag",
    "UnilateralHumanRightsRegime": "flag",
    "UnilateralCounterTerrorismRegime": "flag",
    "DomesticProscription": "context",
    "OtherSanctionsRegime": "review",
}
CONFIDENCES = ("low", "medium", "high")
DIRECTIONS = ("down", "up", "both")


class PolicyError(InvalidValueError, ValueError):
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
    lookback_applies_to: tuple[str, ...] = ("remediated", "alleged_gross", "not_gross", "links")
    gross_violation_types: tuple[str, ...] = ()
    non_gross_violations: str = "flag"
    conviction_establishes: bool = True
    failure_to_punish: str = "review"
    succession_inherits: tuple[str, ...] = ("Renaming", "SuccessorOrganization", "Merger")
    sanctions_regimes: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SANCTIONS_REGIMES))
    decision_valid_months: int = 12

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
        _check(all(v in LOOKBACK_CATEGORIES for v in self.lookback_applies_to), "lookback_applies_to",
               f"a list from {', '.join(LOOKBACK_CATEGORIES)}")
        _check(all(isinstance(v, str) and v for v in self.gross_violation_types), "gross_violation_types",
               "a list of violation-type names (local names such as Torture)")
        _check(self.non_gross_violations in ("flag", "review"), "non_gross_violations", "flag or review")
        _check(isinstance(self.conviction_establishes, bool), "conviction_establishes", "true or false")
        _check(self.failure_to_punish in ("review", "context", "off"), "failure_to_punish", "review, context or off")
        _check(all(v in SUCCESSION_KINDS for v in self.succession_inherits), "succession_inherits",
               f"a list from {', '.join(SUCCESSION_KINDS)}")
        _check(isinstance(self.sanctions_regimes, dict) and set(self.sanctions_regimes) <= set(REGIME_TYPES)
               and all(v in REGIME_EFFECTS for v in self.sanctions_regimes.values()), "sanctions_regimes",
               f"a table of regime types ({', '.join(REGIME_TYPES)}) to {', '.join(REGIME_EFFECTS)}")
        _check(_is_int(self.decision_valid_months) and 1 <= self.decision_valid_months <= 60, "decision_valid_months",
               "an integer from 1 to 60")
        for key in ("lookback_applies_to", "gross_violation_types", "succession_inherits"):
            object.__setattr__(self, key, tuple(dict.fromkeys(getattr(self, key))))
        # Regime types the file leaves out keep their defaults.
        object.__setattr__(self, "sanctions_regimes", {**DEFAULT_SANCTIONS_REGIMES, **self.sanctions_regimes})

    def regime_effect(self, regime_type: str | None) -> str:
        """What a listing of this regime type does; a listing without one is an "other" regime."""
        return self.sanctions_regimes.get(regime_type or "OtherSanctionsRegime", self.sanctions_regimes["OtherSanctionsRegime"])

    @property
    def min_confidence_rank(self) -> int:
        return CONFIDENCES.index(self.min_confidence)

    def as_dict(self) -> dict[str, Any]:
        # Every field is a string, a number, a tuple of strings or a flat dict of strings, so a
        # shallow copy is a full copy; dataclasses.asdict deep-copies every value, which stood out
        # in the profile of every vetting run (each result carries the policy).
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("rules", "flag_rules", "lookback_applies_to", "gross_violation_types", "succession_inherits"):
            values[key] = list(getattr(self, key))
        values["sanctions_regimes"] = dict(self.sanctions_regimes)
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
    for key in ("rules", "flag_rules", "lookback_applies_to", "gross_violation_types", "succession_inherits"):
        if key in prepared:
            if not isinstance(prepared[key], (list, tuple)):
                raise PolicyError(f"policy key {key!r} must be a list")
            prepared[key] = tuple(prepared[key])
    if "sanctions_regimes" in prepared and not isinstance(prepared["sanctions_regimes"], dict):
        raise PolicyError("policy key 'sanctions_regimes' must be a table of regime types to flag, review or context")
    for key in ("lookback_years", "hierarchy_depth", "decision_valid_months"):
        if isinstance(prepared.get(key), float):
            raise PolicyError(f"policy key {key!r} must be an integer")
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


__all__ = ["CONFIDENCES", "DEFAULT_POLICY", "REGIME_TYPES", "RULES", "Policy", "PolicyError", "load_policy", "policy_from_dict"]
