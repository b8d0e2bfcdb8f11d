"""Registration data: RDAP and WHOIS lookups normalised into observations."""
