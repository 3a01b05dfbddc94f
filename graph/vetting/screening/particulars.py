"""What a row's date of birth and nationality say about a candidate: each agreement is a reason,
each disagreement costs points, and what is not recorded is said to be unused.

Sanctions lists give several dates of birth, some only as years or approximate years, and name
nationalities as text ("Democratic People's Republic of Korea"), so all of them are compared, and
a nationality is compared as a state of the graph when both sides name one, else as folded text.
"""

from __future__ import annotations

from collections.abc import Callable

from graph.index.names import fold
from graph.vetting.screening.name_index import Actor
from graph.vetting.screening.rows import Candidate

OTHER_YEAR_COST = 25.0  # a different year of birth: most likely another person
SAME_YEAR_COST = 10.0  # the same year, another day or month: a typo or another record
OTHER_NATIONALITY_COST = 15.0
APPROXIMATE_SLACK = 1  # an approximate year agrees with a year either side of it

Resolve = Callable[[str], str | None]


def birth(candidate: Candidate, actor: Actor, given: str) -> None:
    """Compare the row's date of birth (YYYY, YYYY-MM or YYYY-MM-DD) with every one on record."""
    if not actor.birth_dates and not actor.birth_years:
        candidate.reasons.append("date of birth not recorded in the graph: not used")
        return
    for recorded in actor.birth_dates:
        if recorded.startswith(given) or given.startswith(recorded):
            candidate.reasons.append(f"date of birth matches ({recorded})")
            return
    year = int(given[:4])
    near = sorted(y for y in actor.birth_years if abs(y - year) <= APPROXIMATE_SLACK)
    if near:
        candidate.reasons.append(f"year of birth {year} fits the approximate year(s) on record ({', '.join(map(str, near))})")
        return
    recorded_all = actor.birth_dates + [f"about {y}" for y in sorted(actor.birth_years)]
    shown = ", ".join(recorded_all[:4]) + (", ..." if len(recorded_all) > 4 else "")
    if any(d[:4] == given[:4] for d in actor.birth_dates):
        candidate.score -= SAME_YEAR_COST
        candidate.reasons.append(f"date of birth differs within the same year (recorded: {shown}): -{SAME_YEAR_COST:.0f}")
        return
    candidate.score -= OTHER_YEAR_COST
    candidate.reasons.append(f"year of birth differs (recorded: {shown}): -{OTHER_YEAR_COST:.0f}")


def nationality(candidate: Candidate, actor: Actor, given: str, state: str | None, resolve: Resolve) -> bool:
    """Compare the row's country with the actor's recorded nationalities; False when none is
    recorded (the caller then says the country was not used)."""
    if not actor.nationalities:
        return False
    wanted = fold(given)
    for recorded in actor.nationalities:
        same_state = state is not None and resolve(recorded) == state
        if same_state or fold(recorded) == wanted:
            candidate.reasons.append(f"nationality matches ({recorded})")
            return True
    candidate.score -= OTHER_NATIONALITY_COST
    candidate.reasons.append(f"nationality differs (recorded: {', '.join(actor.nationalities)}): -{OTHER_NATIONALITY_COST:.0f}")
    return True
