"""Every rule, by its stable id. A rule that is not listed here does not exist."""

from __future__ import annotations

from socialgov.policy.rule import Rule
from socialgov.policy.rules import (
    auto_renew_off,
    blog_domain_ungoverned,
    credentials_not_rotated,
    departed_access,
    departed_contact,
    departed_owner,
    domain_expired,
    domain_expiring,
    lookalike_domain,
    mfa_missing,
    min_owners,
    nameserver_mismatch,
    observation_stale,
    orphaned,
    personal_contact,
    registrant_mismatch,
    registrar_not_approved,
    registration_drift,
    review_overdue,
    secret_in_registry,
    transfer_lock_missing,
    unknown_owner,
    waiver_expired,
)
from socialgov.policy.rules import (
    caa_missing,
    dangling_cname,
    dmarc_missing,
    dns_drift,
    dnssec_missing,
    lame_delegation,
    parked_domain_mail_open,
    takeover_risk,
    tls_expiring,
    tls_invalid,
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
    # DNS and web posture (SPEC §8)
    dangling_cname,
    takeover_risk,
    lame_delegation,
    parked_domain_mail_open,
    dmarc_missing,
    caa_missing,
    dnssec_missing,
    tls_expiring,
    tls_invalid,
    dns_drift,
)

RULES: dict[str, Rule] = {m.RULE.info.id: m.RULE for m in _MODULES}
