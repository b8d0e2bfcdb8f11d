"""Every rule, by its stable id. A rule that is not listed here does not exist."""

from __future__ import annotations

from socialgov.policy.rule import Rule
from socialgov.policy.rules import (
    auto_renew_off,
    blog_domain_ungoverned,
    credentials_not_rotated,
    defensive_registration_gap,
    departed_access,
    departed_contact,
    departed_owner,
    departure_pending,
    domain_expired,
    domain_expiring,
    domain_on_hold,
    domain_redemption,
    expiry_unknown,
    lookalike_domain,
    lookalike_registered,
    mfa_missing,
    min_owners,
    nameserver_mismatch,
    observation_stale,
    orphaned,
    personal_contact,
    registrant_mismatch,
    registrar_not_approved,
    registration_drift,
    registry_lock_missing,
    review_overdue,
    secret_in_registry,
    transfer_lock_missing,
    unknown_owner,
    waiver_approver_departed,
    waiver_expired,
    waiver_unused,
)

_MODULES = (
    # ownership and people
    orphaned,
    departed_owner,
    unknown_owner,
    min_owners,
    departed_access,
    credentials_not_rotated,
    personal_contact,
    departed_contact,
    review_overdue,
    mfa_missing,
    secret_in_registry,
    waiver_expired,
    departure_pending,
    waiver_unused,
    waiver_approver_departed,
    # domains and registration data
    domain_expiring,
    domain_expired,
    auto_renew_off,
    registrant_mismatch,
    registrar_not_approved,
    nameserver_mismatch,
    transfer_lock_missing,
    registration_drift,
    observation_stale,
    lookalike_domain,
    blog_domain_ungoverned,
    # registration status (SPEC §8)
    registry_lock_missing,
    domain_on_hold,
    domain_redemption,
    expiry_unknown,
    # discovery (SPEC §9)
    lookalike_registered,
    defensive_registration_gap,
)

RULES: dict[str, Rule] = {m.RULE.info.id: m.RULE for m in _MODULES}
