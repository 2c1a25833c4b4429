"""Controlled vocabularies of the domain, as string enums (their values are what files and the DB hold)."""

from __future__ import annotations

from enum import StrEnum


class ActorKind(StrEnum):
    """What kind of body an actor is."""

    PREFECTURE = "prefecture"
    MUNICIPALITY = "municipality"
    WARD = "ward"
    FOREIGN_CITY = "foreign_city"
    FOREIGN_REGION = "foreign_region"
    NATIONAL_GOVERNMENT = "national_government"
    GOVERNMENT_AGENCY = "government_agency"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    CITY_NETWORK = "city_network"
    REGIONAL_BODY = "regional_body"
    CIVIL_SOCIETY = "civil_society"
    EXCHANGE_ASSOCIATION = "exchange_association"
    BUSINESS = "business"
    BANK = "bank"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    OTHER = "other"


LOCAL_GOVERNMENT_KINDS = frozenset(
    {
        ActorKind.PREFECTURE,
        ActorKind.MUNICIPALITY,
        ActorKind.WARD,
        ActorKind.FOREIGN_CITY,
        ActorKind.FOREIGN_REGION,
    }
)


class LgType(StrEnum):
    """Type of a Japanese local government (the papers' 'government type')."""

    PREFECTURE = "prefecture"
    DESIGNATED_CITY = "designated_city"
    CITY = "city"
    SPECIAL_WARD = "special_ward"
    TOWN = "town"
    VILLAGE = "village"
    WARD = "ward"


class TieKind(StrEnum):
    """Kinds of tie between two actors."""

    SISTER = "sister"
    FRIENDSHIP = "friendship"
    TWINNING = "twinning"  # a sister or friendship affiliation: the source does not say which
    BUSINESS_PARTNER = "business_partner"
    PURPOSE_SPECIFIC = "purpose_specific"
    NETWORK_MEMBERSHIP = "network_membership"
    COALITION_MEMBERSHIP = "coalition_membership"
    FUNDING = "funding"
    ACCESS_CHANNEL = "access_channel"
    SECONDMENT = "secondment"
    MEMORANDUM = "memorandum"
    HOSTING = "hosting"
    PARTNERSHIP = "partnership"
    MEMBERSHIP = "membership"


AFFILIATION_KINDS = frozenset(
    {TieKind.SISTER, TieKind.FRIENDSHIP, TieKind.TWINNING, TieKind.BUSINESS_PARTNER, TieKind.PURPOSE_SPECIFIC}
)
SYMMETRIC_KINDS = AFFILIATION_KINDS | {TieKind.PARTNERSHIP, TieKind.MEMORANDUM}
#: What a twinning list's row may be (it does not say which): a twinning tie between two places that
#: also have one of these is the same affiliation.
TWINNING_KINDS = frozenset({TieKind.SISTER, TieKind.FRIENDSHIP})


class TieStatus(StrEnum):
    """Whether a tie is in force."""

    ACTIVE = "active"
    ENDED = "ended"
    SUSPENDED = "suspended"
    PLANNED = "planned"
    UNKNOWN = "unknown"


class OfficeModel(StrEnum):
    """How an overseas office is run."""

    INDEPENDENT = "independent"
    JOINT_GOVERNMENT = "joint_government"
    JOINT_BANK = "joint_bank"
    HOSTED_JETRO = "hosted_jetro"
    HOSTED_CLAIR = "hosted_clair"
    HOSTED_OTHER = "hosted_other"
    OUTSOURCED = "outsourced"
    UNKNOWN = "unknown"


class OfficeFunction(StrEnum):
    """What an overseas office does."""

    TRADE_PROMOTION = "trade_promotion"
    INVESTMENT_ATTRACTION = "investment_attraction"
    TOURISM_PROMOTION = "tourism_promotion"
    INFORMATION_GATHERING = "information_gathering"
    SME_SUPPORT = "sme_support"
    EXCHANGE_SUPPORT = "exchange_support"
    HUMAN_RESOURCE_DEVELOPMENT = "human_resource_development"
    OTHER = "other"


class Pillar(StrEnum):
    """The three pillars of an international strategy."""

    ACQUIRE_EXTERNAL_DEMAND = "acquire_external_demand"
    ATTRACT_EXTERNAL_DEMAND = "attract_external_demand"
    HUMAN_RESOURCE_DEVELOPMENT = "human_resource_development"


class PolicyCode(StrEnum):
    """Policies whose adoption by local governments is tracked for diffusion."""

    FOREIGN_RESIDENTS_ASSEMBLY = "foreign_residents_assembly"
    NATIONALITY_CLAUSE_REMOVED = "nationality_clause_removed"
    SUFFRAGE_RESOLUTION = "suffrage_resolution"
    INTERNATIONAL_STRATEGY = "international_strategy"
    OVERSEAS_OFFICE = "overseas_office"
    MULTICULTURAL_PLAN = "multicultural_plan"
    OTHER = "other"


class Channel(StrEnum):
    """How an actor reaches a state."""

    CONVENTIONAL = "conventional"
    LOCAL_DIPLOMACY = "local_diplomacy"
    BOOMERANG = "boomerang"
    NONE = "none"


class SourceKind(StrEnum):
    """What a source is."""

    PAPER = "paper"
    OFFICIAL_LIST = "official_list"
    DATASET = "dataset"
    WEB = "web"
    USER = "user"
    IMPORT = "import"
    GAZETTEER = "gazetteer"
