"""A household planned as plain data: its members, their facts, its traits and its record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from chumchon.areas.models import Area
from chumchon.demo.debts import DebtPlan
from chumchon.registry.models import Consent, HouseholdStatus, MemberStatus, Origin, Verification

HEAD = "หัวหน้าครัวเรือน"
SPOUSE = "คู่สมรส"
CHILD = "บุตร"
SON_IN_LAW = "บุตรเขย"
DAUGHTER_IN_LAW = "บุตรสะใภ้"
GRANDCHILD = "หลาน"
FATHER = "บิดา"
MOTHER = "มารดา"


@dataclass
class PersonFacts:
    """What the registry records about a person besides name and birth (see
    :mod:`chumchon.demo.records`); ``literate`` and ``in_school`` feed the needs survey."""

    education: str = ""
    occupation: str = ""
    disability: bool = False
    chronic_illness: bool = False
    bedridden: bool = False
    elderly_living_alone: bool = False
    status: str = MemberStatus.LIVING_HERE
    literate: bool = True
    in_school: bool = False
    has_id: bool = True  # False: recorded without a national ID


@dataclass
class PersonPlan:
    relation: str
    sex: str
    birth_date: dt.date
    first_name: str
    last_name: str
    title: str
    national_id: str = ""
    facts: PersonFacts = field(default_factory=PersonFacts)

    @property
    def is_head(self) -> bool:
        return self.relation == HEAD

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


@dataclass
class Traits:
    """What drives a household's monthly accounts besides its occupation."""

    rai: int = 0  # paddy (O01, O02) or field/orchard (O03) area in rai (1 rai = 1,600 m²)
    crop: str = ""  # O03: cassava, rubber, sugarcane
    livestock: str = ""  # O05: cattle, pigs, chickens
    herd: int = 0  # O05: head of cattle or pigs, or chickens
    trade: str = ""  # O08: grocery, food, market; O02/O07 side line: wage, weaving, snacks, mushrooms
    wage_weekly: bool = True
    day_rate: int = 0
    monthly_wage: int = 0
    remittance: int = 0
    drinks: bool = False
    smokes: bool = False
    lottery: bool = False
    saving: int = 0
    welfare_fund: bool = False  # member of the tambon's community welfare fund (pays monthly)
    disability: bool = False
    health_volunteer: bool = False  # อสม.: a village health volunteer's monthly stipend
    spend: float = 1.0  # scale of everyday consumption
    earners: int = 1  # people of the household doing day labour together


@dataclass
class HouseholdRecord:
    """The household's registry record beyond its members: housing, land, where the
    record came from, what the verification drive found, consent and the needs survey
    (see :mod:`chumchon.demo.records`)."""

    housing: str = ""
    land_tenure: str = ""
    origin: str = Origin.TAMBON
    verification: str = Verification.UNVERIFIED
    status: str = HouseholdStatus.ACTIVE
    verified_at: dt.datetime | None = None
    verifier: str = ""  # the demo user who verified it ("" for none)
    consent: str = Consent.UNKNOWN
    consent_at: dt.datetime | None = None
    surveyed_at: dt.datetime | None = None  # the needs survey (None: not surveyed)
    council: bool = False  # member of the tambon's community organisation council
    extra: list[PersonPlan] = field(default_factory=list)  # people recorded here twice (duplicates)

    @property
    def left_on(self) -> dt.date | None:
        """The day the household was found gone (its accounts stop before it)."""
        if self.status == HouseholdStatus.ACTIVE or self.verified_at is None:
            return None
        return self.verified_at.date()


@dataclass
class HouseholdPlan:
    key: str
    village: Area
    number: int  # running number within the village
    occupation: str
    welfare_card: bool
    members: list[PersonPlan]
    debts: list[DebtPlan]
    traits: Traits
    code: str = ""
    house_no: str = ""
    lat: Decimal | None = None
    lon: Decimal | None = None
    record: HouseholdRecord = field(default_factory=HouseholdRecord)

    @property
    def head(self) -> PersonPlan:
        return self.members[0]

    @property
    def people(self) -> list[PersonPlan]:
        """Every member row: the members and anyone recorded here a second time."""
        return [*self.members, *self.record.extra]
