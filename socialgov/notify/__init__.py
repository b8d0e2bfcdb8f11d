"""Notifications (SPEC §7): owner digests by e-mail and webhooks, sent once and escalated;
the dates that run out, as a listing (`expiring`) and an iCalendar feed (`calendar`)."""
