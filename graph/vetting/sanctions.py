"""Vetting rules 6 and 7: sanctions listings and risk links (reliance on an illicit economy).

A listing counts by its regime type (ag:regimeType; none is ag:OtherSanctionsRegime): the policy
says whether each type flags, asks for review, or is shown as context only (domestic proscriptions,
by default). A listing ended by an ag:endDate, or by a delisting node (ag:Delisting), before the
vetting date is former: it stays in the history and never flags. A listing with no end that is not
marked ongoing may have ended: it asks for review, and is never reported as current.
"""

from __future__ import annotations

from datetime import date

from graph.index.names import local_name
from graph.store import rdf
from graph.vetting.dates import Currency, Overlap, Period, TimeCheck, known_by, on_date, period_last_day
from graph.vetting.drafts import Context, Draft, Step, currency, state_words


def listing_period(ctx: Context, listing: str) -> tuple[Period, str]:
    """The listing's dates, ended on its earliest delisting when one is recorded; the note says so."""
    period = ctx.facts.node(listing).period
    delisted = ctx.facts.delisted_on(listing)
    if delisted is None or delisted[0] > ctx.day:
        return period, ""
    day, node = delisted
    if period.end is not None and not period.ongoing and period.end <= day:
        return period, ""
    # A delisting given to the month ends the listing some day of that month: its last day, at
    # that precision, so the listing reads as possibly ended, not ended, within the month.
    precision = ctx.facts.node(node).period.start_precision
    ended = Period(period.start, period_last_day(day, precision), period.start_precision, precision, False)
    return ended, f"delisted {on_date(day, precision)} (delisting record)"


def regime_type(ctx: Context, listing: str) -> str:
    return local_name(ctx.facts.relation(listing).facets.get("regimeType", "OtherSanctionsRegime"))


def sanctions(ctx: Context) -> list[Draft]:
    drafts = []
    for row in ctx.facts.rows("sanctions", subject=rdf.NamedNode(ctx.subject)):
        listing, listed, command_node = row["listing"], row["listed"], row["command"]
        if not listing or not listed:
            continue
        period, delisting_note = listing_period(ctx, listing)
        if not known_by(period, ctx.day):
            continue
        listed_state = currency(ctx, listing, period)
        regime = regime_type(ctx, listing)
        effect = ctx.policy.regime_effect(regime)
        authority = ctx.facts.relation(listing).facets.get("listingAuthority")
        listing_step = Step(listing, listed, authority or listing, "is listed by", None)
        notes = [n for n in (delisting_note, f"regime type: {regime}") if n]
        relevant_end = None if listed_state.current else period.end
        if not command_node:
            drafts.append(
                Draft(
                    "sanctions",
                    [listing_step],
                    Overlap.YES,
                    listed_state.current,
                    state_words(listed_state, "listed", "delisted"),
                    relevant_end=relevant_end,
                    anchor=listing,
                    current_reading=listed_state.reading,
                    regime_effect=effect,
                    summary_parts={"regime": regime, "listing_reading": listed_state.reading},
                    notes=notes,
                )
            )
            continue
        command_period = ctx.facts.node(command_node).period
        if not known_by(command_period, ctx.day):
            continue
        in_command = currency(ctx, command_node, command_period)
        current = in_command.current and listed_state.current
        indirect = "" if current else "a former commander is listed, the listing has ended, or either may have ended"
        ends = [d for d in (None if listed_state.current else period.end, None if in_command.current else command_period.end) if d]
        reading = in_command.reading if not in_command.current else listed_state.reading
        drafts.append(
            Draft(
                "sanctions",
                [Step(command_node, listed, ctx.subject, "commands" if in_command.current else "commanded", holds_check(in_command, command_period)),
                 listing_step],
                Overlap.YES,
                current,
                state_words(in_command, "commands it now", "former commander") + "; " + state_words(listed_state, "listed", "delisted"),
                indirect=indirect,
                relevant_end=min(ends) if ends else None,
                anchor=f"{listing}|{command_node}",
                current_reading=reading,
                regime_effect=effect,
                summary_parts={"regime": regime, "listing_reading": listed_state.reading},
                notes=notes,
            )
        )
    return drafts


def holds_check(state: Currency, period: Period) -> TimeCheck:
    """The link on the vetting date, in words; a link whose end is unknown only may hold."""
    overlap = Overlap.YES if state.current else Overlap.NO if state.reading == "ended" else Overlap.UNCERTAIN
    return TimeCheck(overlap, f"{period.describe()} ({state.basis})")


def listed_now(ctx: Context, listing: str, day: date) -> bool:
    period, _ = listing_period(ctx, listing)
    return known_by(period, day) and currency(ctx, listing, period).current


# -- 7 risk --------------------------------------------------------------------------------


def risk(ctx: Context) -> list[Draft]:
    drafts = []
    for row in ctx.facts.rows("risk", subject=rdf.NamedNode(ctx.subject)):
        reliance, network = row["reliance"], row["network"]
        if not reliance or not network:
            continue
        period = ctx.facts.node(reliance).period
        if not known_by(period, ctx.day):
            continue
        state = currency(ctx, reliance, period)
        kind = local_name(ctx.facts.relation(reliance).facets.get("relianceKind", "RevenueReliance"))
        verb = {"ControlReliance": "controls", "ProtectionReliance": "protects"}.get(kind, "relies on revenue from")
        steps = [Step(reliance, ctx.subject, network, verb, holds_check(state, period))]
        for listing_row in ctx.facts.rows("sanctions", subject=rdf.NamedNode(network)):
            listing = listing_row["listing"]
            # The network's own listing adds context while it is in force.
            if listing and not listing_row["command"] and listed_now(ctx, listing, ctx.day):
                authority = ctx.facts.relation(listing).facets.get("listingAuthority")
                steps.append(Step(listing, network, authority or listing, "is listed by"))
        drafts.append(
            Draft(
                "risk",
                steps,
                Overlap.YES,
                state.current,
                state_words(state, "current", "former"),
                relevant_end=None if state.current else period.end,
                anchor=reliance,
                summary_parts={"verb": verb},
                current_reading=state.reading,
            )
        )
    return drafts
