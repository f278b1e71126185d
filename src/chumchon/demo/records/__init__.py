"""The registry side of a synthetic household: what the tambon's social database records.

A household plan (:mod:`chumchon.demo.households`) says who lives there and how they
earn; this module adds what the registry pages show about it, drawn from streams of
its own so the accounts do not change with it:

- each person's schooling (by age: older people mostly primary or none, young adults
  secondary, some a degree), work (following the household's occupation), health
  (disability, chronic illness rising with age, a few bedridden elderly) and whether
  they live at home or work away (the children who send money home);
- the house (mostly secure; needing repair, unsafe or none more often for poor,
  elderly and wage-labour households) and farm land (owned by most farmers, rented or
  borrowed by some, none for many labourers and traders);
- where the record came from and what the verification drive found, in the pattern
  of Amnat Charoen's SDCK: most households come from the state welfare card list or
  the tambon's own records; in the demo users' tambons a drive is under way (about 60%
  verified, 8% corrected, 4% not found, 2% moved, 1% deceased, the rest not yet
  visited, plus about one household in ten found on the ground and not on any list),
  elsewhere verification is patchy (0–40% a tambon, varying by village); visits are
  spread over the 18 months before the end of the accounts, so some are stale;
- consent, asked at the visit; the date of the needs survey; council membership;
- a few people recorded twice, in two households, with a misspelt given name and no
  national ID on the second record: the duplicates queue's work.

Everything is a pure function of the seed, the household's key and its village's
:class:`Drive`.
"""

from chumchon.demo.records.drive import Drive, check_facts, drives_plan
from chumchon.demo.records.duplicates import duplicates_plant, misspelt
from chumchon.demo.records.household import home_facts, record_plan
from chumchon.demo.records.people import NO_WORK, PUPIL, STUDENT, UNEMPLOYED, people_facts

__all__ = [
    "NO_WORK",
    "PUPIL",
    "STUDENT",
    "UNEMPLOYED",
    "Drive",
    "check_facts",
    "drives_plan",
    "duplicates_plant",
    "home_facts",
    "misspelt",
    "people_facts",
    "record_plan",
]
