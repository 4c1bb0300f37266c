"""Restriction vocabulary and policy evaluation. Pure: values in, values out, no I/O, no clock.

    decision = rights.evaluate(record, Use(Purpose.EDITORIAL, Channel.WEB, "GB"), leases, now)

The policy, rule by rule (deny beats review beats allow; every reason cites its phrase):

- no record: deny (UNKNOWN_ASSET). Killed: deny (KILLED). A kill requested and not yet
  confirmed or rejected, or an agency kill notice read from a caption: deny (KILL_REQUESTED).
  No lease lifts any of these.
- EDITORIAL_USE_ONLY denies every purpose but editorial. NO_SALES denies sale and syndication
  (supplying other publishers is selling). NO_RESALES and NO_SYNDICATION deny syndication.
  NO_MARKETING denies marketing and advertising. NO_ADVERTISING denies advertising.
  NO_COMMERCIAL_USE denies commercial, advertising, marketing and sale.
- NO_ARCHIVES denies archiving always, and every use once `archive_retention_days` (default
  30) have passed since `ingested_at`; the decision then has `purge` set.
- EMBARGO denies before its end; TERRITORY denies outside `countries_included` or inside
  `countries_excluded`, an excluded country taking in what it covers (territories.toml: FR
  covers Réunion and Monaco); a territory that is no assigned ISO 3166-1 code, in the use or
  in the restriction, never allows.
- EXPIRY (IPTC 2:37/2:38, PLUS LicenseEndDate) denies from its moment on.
- MODEL_RELEASE (people pictured, no full release) reviews commercial, marketing and
  advertising. SYNTHETIC_MEDIA (declared AI-generated, synthetic or composite, or a source type
  nobody knows) reviews editorial use, unless `PolicyOptions.review_synthetic_media` is off
  (an agreement's switch).
- MANDATORY_CREDIT and any agency credit make the credit line an obligation.
- Review: OTHER, unrecognised restriction text, a record with neither agency nor restriction,
  a credit required but unknown, a purpose outside the vocabulary, and any time or territory
  rule the check gives no time or territory for. Metadata blocks that may state rights but
  could not be read (UNREADABLE_METADATA) review every use but editorial.
- Leases (`Override`): which leases reach an asset is `rights.leases.reaches`, which compares
  the supplier keys it is given (the lease's `target_key`, the record's `agency_key` and
  `source_key`, computed by the caller with `captions.normalise.fold_for_match`). A matching
  deny lease denies (on a country: with what it covers); a matching allow lease lifts
  restriction reasons within its scope and [starts, ends) window and says so (LEASE_ALLOW,
  `lifted_by`). A lease whose target or record comes without keys may apply: it never lifts.
- Agreements (`rights.agreements`): the supplier's agreement, passed like leases, denies a use
  it does not cover (NOT_COVERED_BY_AGREEMENT) or reserves for a lease (LEASE_REQUIRED),
  reviews a use over its monthly quota (AGREEMENT_QUOTA) or with no agreement at all
  (NO_AGREEMENT), and gives the answer its `cost` and `price`. No agreement configured: as
  before. An allow lease in scope lifts an agreement's limit like a restriction.
- Purged (retention passed, files deleted): deny (PURGED), which no lease lifts.
"""

from rights.agreements import (
    NO_AGREEMENT,
    Agreement,
    Cost,
    Governing,
    NoAgreement,
    Terms,
    agreement_for,
    supplier_key_of,
)
from rights.decision import Decision, Override, Reason, Use
from rights.errors import RightsdeskError, UnknownTerritory, WireError
from rights.evaluate import agreement_terms, evaluate
from rights.options import PolicyOptions
from rights.prepare import PreparedRecord, prepare
from rights.record import Evidence, Restriction, RightsRecord, UnreadableBlock
from rights.ruleset import DEFAULT_ARCHIVE_RETENTION_DAYS, credit_for, retention_ends
from rights.vocabulary import Channel, Code, LeaseScope, Origin, Outcome, Purpose, ReasonCode
from rights.wire import (
    agreement_from_dict,
    agreement_to_dict,
    decision_from_dict,
    decision_to_dict,
    override_from_dict,
    override_to_dict,
    record_from_dict,
    record_to_dict,
    restriction_from_dict,
    restriction_to_dict,
    use_from_dict,
    use_to_dict,
)

__all__ = [
    "DEFAULT_ARCHIVE_RETENTION_DAYS",
    "NO_AGREEMENT",
    "Agreement",
    "Channel",
    "Code",
    "Cost",
    "Decision",
    "Evidence",
    "Governing",
    "LeaseScope",
    "NoAgreement",
    "Origin",
    "Outcome",
    "Override",
    "PolicyOptions",
    "PreparedRecord",
    "Purpose",
    "Reason",
    "ReasonCode",
    "Restriction",
    "RightsRecord",
    "RightsdeskError",
    "Terms",
    "UnknownTerritory",
    "UnreadableBlock",
    "Use",
    "WireError",
    "agreement_for",
    "agreement_from_dict",
    "agreement_terms",
    "agreement_to_dict",
    "credit_for",
    "decision_from_dict",
    "decision_to_dict",
    "evaluate",
    "override_from_dict",
    "override_to_dict",
    "prepare",
    "record_from_dict",
    "record_to_dict",
    "restriction_from_dict",
    "restriction_to_dict",
    "retention_ends",
    "supplier_key_of",
    "use_from_dict",
    "use_to_dict",
]
