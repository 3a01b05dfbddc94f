"""The seven vetting rules. Each runs its own query (queries/vetting/{rule}.rq), then decides in time.

Every rule turns the rows of its query into `Draft` findings: the chain of relation nodes from the
subject to what it is linked to, each checked against the incident's dates (or the vetting date)
by graph.vetting_time, which says in words which reading of the dates applied. A candidate whose
dates rule it out is dropped here; one whose dates only *allow* it is kept as uncertain, and the
policy decides what that means (graph.vetting). How each rule treats time:

1. direct      the subject is the recorded perpetrator; only incidents that began by the vetting date.
2. command     a command or posting of the person in the perpetrator unit, or in a unit above it,
               must overlap the incident, and the chain of subordinations between the two units
               must hold during the incident, within the policy's depth. A commander who took over
               after the incident is dropped (Quorrin).
3. hierarchy   a unit below the subject (or above it, by policy) perpetrated, and a chain of dated
               subordinations joined them during the incident, within the policy's depth (div-2 is
               dropped for Karst Hollow: bde-7 joined it the next year).
4. membership  a plain membership of the subject in the perpetrating organization overlaps the incident.
5. absorption  the subject absorbed (DDR integration) or succeeded a group that perpetrated before the
               integration or succession; or someone posted to, member of or commanding the subject
               was in such a group during the incident (or is a perpetrator).
6. sanctions   the subject, or a person commanding it, is on a sanctions list that had begun by the
               vetting date; current unless delisted before it (commanders: while still in command).
7. risk        the subject relies on, protects or controls an illicit network; a risk, not perpetration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from graph.vetting_facts import Edge, Facts, local_name
from graph.vetting_policy import Policy
from graph.vetting_time import Overlap, Period, TimeCheck, combine, is_current, known_by, overlaps


@dataclass(frozen=True)
class Step:
    """One relation node on the path, read as "`source` `verb` `target`"."""

    node: str
    source: str
    target: str
    verb: str
    check: TimeCheck | None = None


@dataclass
class Draft:
    """A finding before severity, evidence details and mitigation are attached."""

    rule: str
    steps: list[Step]
    overlap: Overlap
    current: bool
    current_basis: str
    incident: str | None = None
    perpetrator: str | None = None
    indirect: str = ""  # why the link is indirect (caps severity at review); empty when it is not
    relevant_end: date | None = None  # for findings without an incident: the date the lookback applies to
    anchor: str = ""  # the subject's own link, for de-duplication
    summary_parts: dict[str, str] = field(default_factory=dict)

    @property
    def perpetration(self) -> str | None:
        return self.steps[-1].node if self.incident else None


@dataclass
class Context:
    facts: Facts
    subject: str
    day: date
    policy: Policy
    kinds: frozenset[str]

    @property
    def is_person(self) -> bool:
        return "Person" in self.kinds

    @property
    def is_organization(self) -> bool:
        return "Organization" in self.kinds


def _subject_binding(ctx: Context) -> dict[str, ox.NamedNode | ox.Literal]:
    return {"subject": ox.NamedNode(ctx.subject)}


def _incident_period(ctx: Context, incident: str) -> Period | None:
    """The incident's period, or None when it began after the vetting date (not known yet then)."""
    period = ctx.facts.node(incident).period
    if period.start is not None and period.start > ctx.day:
        return None
    return period


def _perpetration_step(perpetration: str, perpetrator: str, incident: str) -> Step:
    return Step(perpetration, perpetrator, incident, "is recorded as perpetrator of")


# -- chains of command ---------------------------------------------------------------------


def find_chain(facts: Facts, start: str, target: str, during: Period, depth: int) -> list[tuple[Edge, TimeCheck]] | None:
    """Walk up from `start` to `target` over subordinations that held during `during`.

    At most `depth` steps. Returns the best chain (every step certain if possible, then the
    shortest) as (edge, check) pairs from `start` upward, or None when no chain held then."""
    best: list[tuple[Edge, TimeCheck]] | None = None
    frontier: list[tuple[str, list[tuple[Edge, TimeCheck]]]] = [(start, [])]
    for _ in range(depth):
        next_frontier = []
        for unit, path in frontier:
            for edge in facts.parents(unit):
                if any(edge.parent == e.child for e, _ in path) or edge.parent == start:
                    continue  # a cycle in the data
                check = overlaps(edge.period, during)
                if check.overlap is Overlap.NO:
                    continue
                extended = [*path, (edge, check)]
                if edge.parent == target:
                    if best is None or _chain_rank(extended) < _chain_rank(best):
                        best = extended
                else:
                    next_frontier.append((edge.parent, extended))
        if best is not None and combine([c for _, c in best]) is Overlap.YES:
            return best  # breadth-first: no certain chain is shorter
        frontier = next_frontier
    return best


def _chain_rank(chain: list[tuple[Edge, TimeCheck]]) -> tuple[int, int]:
    return (0 if combine([c for _, c in chain]) is Overlap.YES else 1, len(chain))


def _chain_current(chain: list[tuple[Edge, TimeCheck]], facts: Facts, day: date) -> tuple[bool, str]:
    for edge, _ in chain:
        current, basis = is_current(edge.period, day)
        if not current:
            return False, f"{facts.label(edge.child)} left {facts.label(edge.parent)}: {basis}"
    return True, "the chain of command still holds"


def _edge_steps(chain: list[tuple[Edge, TimeCheck]]) -> list[Step]:
    """Top-down order for reading: the subject's end first."""
    return [Step(e.relation, e.child, e.parent, "was subordinate to", c) for e, c in reversed(chain)]


# -- 1 direct ------------------------------------------------------------------------------


def direct(ctx: Context) -> list[Draft]:
    drafts = []
    for row in ctx.facts.rows("direct", **_subject_binding(ctx)):
        incident, perpetration = row["incident"], row["perpetration"]
        if not incident or not perpetration or _incident_period(ctx, incident) is None:
            continue
        drafts.append(
            Draft(
                "direct",
                [_perpetration_step(perpetration, ctx.subject, incident)],
                Overlap.YES,
                True,
                "the subject itself is the recorded perpetrator",
                incident=incident,
                perpetrator=ctx.subject,
                anchor=perpetration,
            )
        )
    return drafts


# -- 2 command -----------------------------------------------------------------------------


def command(ctx: Context) -> list[Draft]:
    if not ctx.is_person:
        return []
    drafts = []
    for row in ctx.facts.rows("command", **_subject_binding(ctx)):
        post, unit, perp_unit = row["post"], row["unit"], row["perpUnit"]
        incident, perpetration = row["incident"], row["perpetration"]
        if not (post and unit and perp_unit and incident and perpetration):
            continue
        during = _incident_period(ctx, incident)
        post_period = ctx.facts.node(post).period
        if during is None or not known_by(post_period, ctx.day):
            continue
        is_command = local_name(row["postClass"] or "") == "Command"
        post_check = overlaps(post_period, during)
        if post_check.overlap is Overlap.NO:
            continue  # e.g. took command after the incident: no command responsibility for it
        chain: list[tuple[Edge, TimeCheck]] = []
        if perp_unit != unit:
            found = find_chain(ctx.facts, perp_unit, unit, during, ctx.policy.hierarchy_depth)
            if found is None:
                continue  # below the unit at some time, but not during the incident (or too deep)
            chain = found
        current, basis = is_current(post_period, ctx.day)
        verb = "commanded" if is_command else "was posted to"
        steps = [Step(post, ctx.subject, unit, verb, post_check), *_edge_steps(chain), _perpetration_step(perpetration, perp_unit, incident)]
        indirect = "" if is_command or not chain else "a posting (not a command) in a unit above the perpetrator"
        drafts.append(
            Draft(
                "command",
                steps,
                combine([post_check, *(c for _, c in chain)]),
                current,
                ("still holds the post: " if current else "former post: ") + basis,
                incident=incident,
                perpetrator=perp_unit,
                indirect=indirect,
                anchor=post,
                summary_parts={"verb": verb, "unit": unit, "levels": str(len(chain))},
            )
        )
    return drafts


# -- 3 hierarchy ---------------------------------------------------------------------------


def hierarchy(ctx: Context) -> list[Draft]:
    if not ctx.is_organization:
        return []
    binding = {**_subject_binding(ctx), "direction": ox.Literal(ctx.policy.hierarchy_direction)}
    drafts = []
    for row in ctx.facts.rows("hierarchy", **binding):
        unit, incident, perpetration, branch = row["unit"], row["incident"], row["perpetration"], row["branch"]
        if not (unit and incident and perpetration and branch):
            continue
        during = _incident_period(ctx, incident)
        if during is None:
            continue
        if branch == "down":
            chain = find_chain(ctx.facts, unit, ctx.subject, during, ctx.policy.hierarchy_depth)
        else:
            chain = find_chain(ctx.facts, ctx.subject, unit, during, ctx.policy.hierarchy_depth)
        if chain is None:
            continue  # joined at some time, but not during the incident, or deeper than the policy allows
        current, basis = _chain_current(chain, ctx.facts, ctx.day)
        edge_steps = _edge_steps(chain) if branch == "down" else [
            Step(e.relation, e.child, e.parent, "was subordinate to", c) for e, c in chain
        ]
        drafts.append(
            Draft(
                "hierarchy",
                [*edge_steps, _perpetration_step(perpetration, unit, incident)],
                combine([c for _, c in chain]),
                current,
                basis,
                incident=incident,
                perpetrator=unit,
                anchor=edge_steps[0].node,
                summary_parts={"branch": branch, "levels": str(len(chain))},
            )
        )
    return drafts


# -- 4 membership --------------------------------------------------------------------------


def membership(ctx: Context) -> list[Draft]:
    drafts = []
    for row in ctx.facts.rows("membership", **_subject_binding(ctx)):
        node, organization = row["membership"], row["organization"]
        incident, perpetration = row["incident"], row["perpetration"]
        if not (node and organization and incident and perpetration):
            continue
        during = _incident_period(ctx, incident)
        period = ctx.facts.node(node).period
        if during is None or not known_by(period, ctx.day):
            continue
        check = overlaps(period, during)
        if check.overlap is Overlap.NO:
            continue
        current, basis = is_current(period, ctx.day)
        drafts.append(
            Draft(
                "membership",
                [Step(node, ctx.subject, organization, "was a member of", check), _perpetration_step(perpetration, organization, incident)],
                check.overlap,
                current,
                ("still a member: " if current else "former member: ") + basis,
                incident=incident,
                perpetrator=organization,
                anchor=node,
            )
        )
    return drafts


# -- 5 absorption or succession ------------------------------------------------------------

SUCCESSION_VERBS = {"Splinter": "split from", "Renaming": "was renamed from", "Merger": "merged from", "SuccessorOrganization": "succeeded"}


def absorption(ctx: Context) -> list[Draft]:
    if not ctx.is_organization:
        return []
    drafts = []
    for row in ctx.facts.rows("absorption", **_subject_binding(ctx)):
        kind, link, group = row["kind"], row["link"], row["group"]
        incident, perpetration = row["incident"], row["perpetration"]
        if not (kind and link and group and incident and perpetration):
            continue
        during = _incident_period(ctx, incident)
        link_period = ctx.facts.node(link).period
        if during is None or not known_by(link_period, ctx.day):
            continue
        if kind in ("integration", "succession"):
            draft = _absorbed_group(ctx, kind, link, link_period, group, incident, perpetration, during)
        else:
            draft = _absorbed_member(ctx, row, link, link_period, group, incident, perpetration, during)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _absorbed_group(ctx: Context, kind: str, link: str, link_period: Period, group: str, incident: str,
                    perpetration: str, during: Period) -> Draft | None:
    """The subject took in the group (integration) or descends from it (succession): the group's
    record up to that day comes with it; its later incidents are its own."""
    event = "integration" if kind == "integration" else "succession"
    on = f"on {link_period.start.isoformat()}" if link_period.start else "date unknown"
    if link_period.start is None:
        check = TimeCheck(Overlap.UNCERTAIN, f"the {event} date is unknown, so whether the incident preceded it is unknown")
    elif during.earliest_start <= link_period.latest_start:
        check = TimeCheck(
            Overlap.YES if during.earliest_start <= link_period.start else Overlap.UNCERTAIN,
            f"the incident ({during.describe()}) preceded the {event} ({on})",
        )
    else:
        return None  # the group's incident came after it was absorbed or succeeded
    ended, basis = is_current(link_period, ctx.day)
    if kind == "integration":
        verb = "absorbed"
    else:
        succession = local_name(ctx.facts.relation(link).facets.get("successionKind", "SuccessorOrganization"))
        verb = SUCCESSION_VERBS.get(succession, "succeeded")
    since = link_period.start.isoformat() if link_period.start else "an unknown date"
    return Draft(
        "absorption",
        [Step(link, ctx.subject, group, verb, check), _perpetration_step(perpetration, group, incident)],
        check.overlap,
        ended,
        f"{'absorbed' if kind == 'integration' else 'succeeded'} on {since}" + ("" if ended else f"; {basis}"),
        incident=incident,
        perpetrator=group,
        anchor=link,
        summary_parts={"kind": kind, "since": since},
    )


def _absorbed_member(ctx: Context, row: dict[str, str | None], link: str, link_period: Period, group: str,
                     incident: str, perpetration: str, during: Period) -> Draft | None:
    """Someone in the subject was in the perpetrating group during the incident, or is a perpetrator.

    The person's link to the subject must not have ended before the incident: someone who left
    before the group's (or their own) violations brought none of them in. A person who has since
    left, or who was only a member of the group (not its commander, not a perpetrator), is an
    indirect link: review, not flag."""
    person, via = row["person"], row["via"]
    if not person:
        return None
    if link_period.latest_end < during.earliest_start:
        return None  # left the subject before the incident
    steps_via: list[Step] = []
    checks: list[TimeCheck] = []
    reasons = []
    if via:
        check = overlaps(ctx.facts.node(via).period, during)
        if check.overlap is Overlap.NO:
            return None
        via_type = ctx.facts.relation(via).type
        steps_via = [Step(via, person, group, "commanded" if via_type == "Command" else "was a member of", check)]
        checks.append(check)
        if via_type != "Command":
            reasons.append("the person was a member of the perpetrating group, not its commander")
    current, basis = is_current(link_period, ctx.day)
    if not current:
        reasons.append("the person has left the subject")
    link_type = ctx.facts.relation(link).type
    present = {"Command": "commands", "Posting": "is posted to"}.get(link_type, "is a member of")
    past = {"Command": "commanded", "Posting": "was posted to"}.get(link_type, "was a member of")
    return Draft(
        "absorption",
        [Step(link, person, ctx.subject, present if current else past), *steps_via, _perpetration_step(perpetration, group, incident)],
        combine(checks) if checks else Overlap.YES,
        current,
        ("still in the subject: " if current else "has left the subject: ") + basis,
        incident=incident,
        perpetrator=group,
        indirect="; ".join(reasons),
        anchor=f"{link}|{via or ''}",
        summary_parts={"kind": "member", "person": person},
    )


# -- 6 sanctions ---------------------------------------------------------------------------


def sanctions(ctx: Context) -> list[Draft]:
    drafts = []
    for row in ctx.facts.rows("sanctions", **_subject_binding(ctx)):
        listing, listed, command_node = row["listing"], row["listed"], row["command"]
        if not listing or not listed:
            continue
        listing_period = ctx.facts.node(listing).period
        if not known_by(listing_period, ctx.day):
            continue
        listed_now, listing_basis = is_current(listing_period, ctx.day)
        authority = ctx.facts.relation(listing).facets.get("listingAuthority")
        listing_step = Step(listing, listed, authority or listing, "is listed by", None)
        relevant_end = None if listed_now else listing_period.end
        if not command_node:
            drafts.append(
                Draft(
                    "sanctions",
                    [listing_step],
                    Overlap.YES,
                    listed_now,
                    ("listed: " if listed_now else "delisted: ") + listing_basis,
                    relevant_end=relevant_end,
                    anchor=listing,
                )
            )
            continue
        command_period = ctx.facts.node(command_node).period
        if not known_by(command_period, ctx.day):
            continue
        in_command, command_basis = is_current(command_period, ctx.day)
        current = in_command and listed_now
        indirect = "" if current else "a former commander is listed, or the listing has ended"
        ends = [d for d in (None if listed_now else listing_period.end, None if in_command else command_period.end) if d]
        drafts.append(
            Draft(
                "sanctions",
                [Step(command_node, listed, ctx.subject, "commands" if in_command else "commanded", holds_check(command_period, ctx.day)), listing_step],
                Overlap.YES,
                current,
                ("commands it now" if in_command else f"former commander ({command_basis})") + f"; {'listed' if listed_now else 'delisted'} ({listing_basis})",
                indirect=indirect,
                relevant_end=min(ends) if ends else None,
                anchor=f"{listing}|{command_node}",
            )
        )
    return drafts


def holds_check(period: Period, day: date) -> TimeCheck:
    current, basis = is_current(period, day)
    return TimeCheck(Overlap.YES if current else Overlap.NO, f"{period.describe()} ({basis})")


# -- 7 risk --------------------------------------------------------------------------------


def risk(ctx: Context) -> list[Draft]:
    drafts = []
    for row in ctx.facts.rows("risk", **_subject_binding(ctx)):
        reliance, network = row["reliance"], row["network"]
        if not reliance or not network:
            continue
        period = ctx.facts.node(reliance).period
        if not known_by(period, ctx.day):
            continue
        current, basis = is_current(period, ctx.day)
        kind = local_name(ctx.facts.relation(reliance).facets.get("relianceKind", "RevenueReliance"))
        verb = {"ControlReliance": "controls", "ProtectionReliance": "protects"}.get(kind, "relies on revenue from")
        steps = [Step(reliance, ctx.subject, network, verb, holds_check(period, ctx.day))]
        for listing_row in ctx.facts.rows("sanctions", subject=ox.NamedNode(network)):
            listing = listing_row["listing"]
            if listing and not listing_row["command"] and known_by(ctx.facts.node(listing).period, ctx.day):
                authority = ctx.facts.relation(listing).facets.get("listingAuthority")
                steps.append(Step(listing, network, authority or listing, "is listed by"))
        drafts.append(
            Draft(
                "risk",
                steps,
                Overlap.YES,
                current,
                ("current: " if current else "former: ") + basis,
                relevant_end=None if current else period.end,
                anchor=reliance,
                summary_parts={"verb": verb},
            )
        )
    return drafts


RULE_FUNCTIONS: dict[str, Callable[[Context], list[Draft]]] = {
    "direct": direct,
    "command": command,
    "hierarchy": hierarchy,
    "membership": membership,
    "absorption": absorption,
    "sanctions": sanctions,
    "risk": risk,
}
