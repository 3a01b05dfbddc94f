"""The actor slots of a block, a country and the whole graph: each one's IRI namespace, class, level
and sector. Ordered by importance, so a truncated last block keeps a coherent core."""

from __future__ import annotations

from dataclasses import dataclass

from graph.synthetic.vocabulary import (
    INTERNATIONAL,
    LOCAL,
    NATIONAL,
    NS_GROUP,
    NS_ORG,
    NS_PERSON,
    NS_STATE,
    NS_UNIT,
    REGIONAL,
    ag,
)

BLOCK_SIZE = 50

_SEC, _GOV, _JUS = ag("SecuritySector"), ag("GovernanceSector"), ag("JusticeSector")


@dataclass(frozen=True)
class Role:
    """One actor slot of a block: how its IRI, class, level and sector are chosen."""

    name: str
    namespace: str
    cls: str
    level: str | None  # None for persons: they carry no level or sector in synthetic data
    sector: str | None
    scope: str = "block"  # "global" (once), "country" (once per country) or "block"

    def slug(self, block: int, country: int) -> str:
        """The IRI slug: unique per scope, and readable (b12-cmd-bn-during) so tests can find roles."""
        local = self.name.replace("_", "-")
        if self.scope == "global":
            return f"g-{local}"
        if self.scope == "country":
            return f"c{country}" if self.name == "state" else f"c{country}-{local}"
        return f"b{block}-{local}"


def make_role(name: str, ns: str, cls: str, level: str | None = LOCAL, sector: str | None = _SEC,
          scope: str = "block") -> Role:
    return Role(name, ns, ag(cls), level, sector, scope)


def person_role(name: str) -> Role:
    return Role(name, NS_PERSON, ag("Person"), None, None)


GLOBAL_ROLES = (
    make_role("donor", NS_ORG, "DonorAgency", INTERNATIONAL, _GOV, "global"),
    make_role("igo", NS_ORG, "InternationalOrganization", INTERNATIONAL, ag("PeacebuildingSector"), "global"),
    make_role("authority", NS_ORG, "RegionalOrganization", REGIONAL, _GOV, "global"),
)
COUNTRY_ROLES = (
    make_role("state", NS_STATE, "State", NATIONAL, _GOV, "country"),
    make_role("army", NS_UNIT, "MilitaryUnit", NATIONAL, scope="country"),
    make_role("police", NS_UNIT, "PoliceUnit", NATIONAL, scope="country"),
    make_role("mod", NS_ORG, "Ministry", NATIONAL, scope="country"),
    make_role("moi", NS_ORG, "Ministry", NATIONAL, scope="country"),
)
# Ordered by importance: a truncated last block keeps a coherent core.
BLOCK_ROLES = (
    make_role("div", NS_UNIT, "MilitaryUnit", NATIONAL),
    make_role("bde_a", NS_UNIT, "MilitaryUnit"),
    make_role("bn_a1", NS_UNIT, "MilitaryUnit"),
    person_role("cmd_bn_during"),
    person_role("cmd_bn_after"),
    make_role("coy", NS_UNIT, "MilitaryUnit"),
    make_role("bde_b", NS_UNIT, "MilitaryUnit"),
    make_role("bn_b1", NS_UNIT, "MilitaryUnit"),
    make_role("bn_b2", NS_UNIT, "MilitaryUnit"),
    make_role("bn_a2", NS_UNIT, "MilitaryUnit"),
    person_role("cmd_div_1"),
    person_role("cmd_div_2"),
    person_role("cmd_bde_unknown"),
    person_role("cmd_bde_now"),
    person_role("cmd_bn_b1"),
    make_role("pol_cmd", NS_UNIT, "PoliceUnit"),
    make_role("pol_station", NS_UNIT, "PoliceUnit"),
    person_role("cmd_pol"),
    make_role("rebel", NS_GROUP, "RebelGroup", NATIONAL),
    make_role("splinter", NS_GROUP, "RebelGroup"),
    make_role("militia", NS_GROUP, "CommunityMilitia"),
    make_role("pol_militia", NS_GROUP, "PoliticalMilitia"),
    make_role("illicit", NS_GROUP, "IllicitNetwork", REGIONAL, ag("EconomicSector")),
    person_role("rebel_leader"),
    person_role("splinter_leader"),
    person_role("militia_leader"),
    person_role("militia_member"),
    person_role("pm_member"),
    make_role("paramil", NS_GROUP, "ParamilitaryForce"),
    make_role("religious", NS_ORG, "ReligiousAuthority", LOCAL, ag("ReligiousSector")),
    make_role("traditional", NS_ORG, "TraditionalAuthority", LOCAL, ag("TraditionalSector")),
    make_role("cso", NS_ORG, "CivilSocietyOrganization", LOCAL, ag("CivilSocietySector")),
    make_role("coalition", NS_ORG, "CivilSocietyCoalition", NATIONAL, ag("CivilSocietySector")),
    make_role("local_admin", NS_ORG, "LocalAdministration", LOCAL, _GOV),
    make_role("court", NS_ORG, "JusticeInstitution", LOCAL, _JUS),
    person_role("staff_officer"),
    person_role("police_officer"),
    person_role("official"),
    person_role("judge"),
    person_role("chief"),
    person_role("cleric"),
    person_role("activist"),
    person_role("soldier_1"),
    person_role("soldier_2"),
    person_role("constable"),
    person_role("rebel_fighter"),
    person_role("militia_fighter"),
    # Registry-only actors: known from a directory or a list, with no relation yet. Real graphs
    # have many of these, and they give name search more to sift through.
    make_role("monitors", NS_ORG, "CivilSocietyOrganization", LOCAL, ag("HumanRightsSector")),
    make_role("village_council", NS_ORG, "LocalAdministration", LOCAL, _GOV),
    person_role("journalist"),
)
assert len(BLOCK_ROLES) == BLOCK_SIZE, len(BLOCK_ROLES)
