"""Offboarding: plan (pure) what a leaver hands over, then apply it in one commit.

`plan_offboarding` looks at a loaded registry and decides, for every asset the person
holds, who takes it over, which access goes, and what must be done by hand. `apply_plan`
turns a plan into file contents; `offboard` runs both under the registry's lock and
commits, on the current branch or on a new branch for review.
"""

from socialgov.offboard.apply import apply_plan, edit_asset_text
from socialgov.offboard.plan import (
    AccessRemoval,
    AssetEdit,
    ChecklistItem,
    NoSuccessor,
    OffboardPlan,
    Reassignment,
    observed_registrant_emails,
    plan_offboarding,
)
from socialgov.offboard.run import OffboardResult, offboard, plan_with_observations

__all__ = [
    "AccessRemoval",
    "AssetEdit",
    "ChecklistItem",
    "NoSuccessor",
    "OffboardPlan",
    "OffboardResult",
    "Reassignment",
    "apply_plan",
    "edit_asset_text",
    "observed_registrant_emails",
    "offboard",
    "plan_offboarding",
    "plan_with_observations",
]
