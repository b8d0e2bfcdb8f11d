"""DNS and web posture (SPEC §8): what to observe, how to record it, how audits read it back."""
