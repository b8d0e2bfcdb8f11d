"""WHOIS layouts of registries that the corpus does not cover, written after their published
formats, with the facts a reader must find. Data for `test_parse_formats.py`."""

from __future__ import annotations

CASES: list[dict[str, object]] = [
    {
        "domain": "google.be",
        "text": (
            "Domain:\tgoogle.be\nStatus:\tNOT AVAILABLE\nRegistered:\tTue Dec 12 2000\n\n"
            "Registrant:\n\tNot shown, please visit www.dnsbelgium.be for webbased whois.\n\n"
            "Registrar Technical Contacts:\n\tOrganisation:\tMarkMonitor Inc.\n\tLanguage:\ten\n\n"
            "Registrar:\n\tName:\t MarkMonitor Inc.\n\tWebsite: http://www.markmonitor.com\n\n"
            "Nameservers:\n\tns2.google.com\n\tns1.google.com\n\nKeys:\n\nFlags:\n"
            "\tclientTransferProhibited\n"
        ),
        "registered": True,
        "created": "2000-12-12",
        "registrar": "MarkMonitor Inc.",
        "name_servers": ["ns2.google.com", "ns1.google.com"],
        "registrant_redacted": True,
    },
    {
        "domain": "google.at",
        "text": (
            "domain:         google.at\n"
            "registrar:      MarkMonitor Inc. ( https://nic.at/registrar/434 )\n"
            "registrant:     GL9286487-NICAT\ntech-c:         GL9286487-NICAT\n"
            "nserver:        ns1.google.com\nremarks:        216.239.32.10\n"
            "nserver:        ns2.google.com\nchanged:        20110306 18:49:38\n"
            "source:         AT-DOM\n\npersonname:     \norganization:   Google LLC\n"
            "street address: 1600 Amphitheatre Parkway\nnic-hdl:        GL9286487-NICAT\n"
            "changed:        20190125 10:00:00\nsource:         AT-DOM\n"
        ),
        "registered": True,
        "registrar": "MarkMonitor Inc.",
        "registrant_org": "Google LLC",
        "updated": "2011-03-06",
        "name_servers": ["ns1.google.com", "ns2.google.com"],
    },
    {
        "domain": "google.ch",
        "text": (
            "Domain name:\ngoogle.ch\n\nHolder of domain name:\nGoogle LLC\n"
            "Domain Administrator\n1600 Amphitheatre Parkway\nMountain View\nUS\n\n"
            "Registrar:\nMarkMonitor Inc.\n\nFirst registration date:\nbefore 01-Jan-1996\n\n"
            "DNSSEC:N\n\nName servers:\nns1.google.com\nns2.google.com\n\n"
        ),
        "registered": True,
        "created": "1996-01-01",
        "registrar": "MarkMonitor Inc.",
        "registrant_org": "Google LLC",
        "name_servers": ["ns1.google.com", "ns2.google.com"],
    },
    {
        "domain": "google.co.kr",
        "text": (
            "Domain Name                 : google.co.kr\n"
            "Registrant                  : Google Korea, LLC\n"
            "Registered Date             : 1999. 08. 23.\n"
            "Last Updated Date           : 2015. 04. 17.\n"
            "Expiration Date             : 2026. 08. 23.\n"
            "Authorized Agency           : Whois Corp.(http://whois.co.kr)\n\n"
            "Primary Name Server\n   Host Name                : ns1.google.com\n\n"
            "Secondary Name Server\n   Host Name                : ns2.google.com\n"
        ),
        "registered": True,
        "created": "1999-08-23",
        "expires": "2026-08-23",
        "registrar": "Whois Corp.",
        "registrant_org": "Google Korea, LLC",
        "name_servers": ["ns1.google.com", "ns2.google.com"],
    },
    {
        "domain": "google.com.tr",
        "text": (
            "** Domain Name: google.com.tr\nFrozen Status: -\n\n** Registrant:\n"
            "   Google LLC\n   1600 Amphitheatre Parkway\n\n** Registrar:\n"
            "NIC Handle\t\t: tyh14-metu\nOrganization Name\t: TURKTICARET.NET LTD\n\n"
            "** Domain Servers:\nns1.google.com\nns2.google.com \n\n** Additional Info:\n"
            "Created on..............: 2001-Aug-23.\nExpires on..............: 2025-Aug-22.\n"
        ),
        "registered": True,
        "created": "2001-08-23",
        "expires": "2025-08-22",
        "registrar": "TURKTICARET.NET LTD",
        "registrant_org": "Google LLC",
        "name_servers": ["ns1.google.com", "ns2.google.com"],
    },
    {
        "domain": "google.it",
        "text": (
            "Domain:             google.it\nStatus:             ok\nSigned:             no\n"
            "Created:            1999-12-10 00:00:00\nLast Update:        2024-05-24 00:52:50\n"
            "Expire Date:        2025-04-21\n\nRegistrant\n"
            "  Organization:     Google Ireland Holdings Unlimited Company\n"
            "  Created:          2018-09-13 16:02:46\n\nAdmin Contact\n  Name:    Tsao Tu\n\n"
            "Registrar\n  Organization:     MarkMonitor International Limited\n"
            "  Name:             MARKMONITOR-REG\n\nNameservers\n  ns1.google.com\n"
            "  ns2.google.com\n"
        ),
        "registered": True,
        "created": "1999-12-10",
        "expires": "2025-04-21",
        "registrar": "MarkMonitor International Limited",
        "registrant_org": "Google Ireland Holdings Unlimited Company",
        "name_servers": ["ns1.google.com", "ns2.google.com"],
    },
    {
        "domain": "google.lv",
        "text": (
            "[Domain]\nDomain: google.lv\nStatus: active\n\n[Holder]\n    Type: Legal person\n"
            "    Name: Google LLC\n\n[Registrar]\n    Type: legal\n    Name: MarkMonitor Inc.\n\n"
            "[Nservers]\n    Nserver: ns1.google.com\n    Nserver: ns2.google.com\n"
        ),
        "registered": True,
        "registrar": "MarkMonitor Inc.",
        "registrant_org": "Google LLC",
        "name_servers": ["ns1.google.com", "ns2.google.com"],
    },
    {
        "domain": "google.co.th",
        "text": (
            "Domain Name:                GOOGLE.CO.TH\nRegistrar:                  THNIC\n"
            "Name Server:                NS1.GOOGLE.COM\nName Server:                NS2.GOOGLE.COM\n"
            "Status:                     ACTIVE\nUpdated date:               06 Mar 2024\n"
            "Created date:               08 Oct 2004\nExp date:                   07 Oct 2025\n"
            "Domain Holder Organization: Google LLC\n"
        ),
        "registered": True,
        "created": "2004-10-08",
        "expires": "2025-10-07",
        "registrar": "THNIC",
        "registrant_org": "Google LLC",
        "name_servers": ["ns1.google.com", "ns2.google.com"],
    },
    {
        "domain": "google.lu",
        "text": (
            "domainname:     google.lu\ndomaintype:     ACTIVE\nnserver:        ns1.google.com\n"
            "nserver:        ns2.google.com\nownertype:      ORGANISATION\n"
            "org-name:       Google LLC\nregistrar-name: Markmonitor\n"
        ),
        "registered": True,
        "registrar": "Markmonitor",
        "registrant_org": "Google LLC",
        "name_servers": ["ns1.google.com", "ns2.google.com"],
    },
    {
        "domain": "google.sk",
        "text": (
            "Domain:                       google.sk\nRegistrant:                   GOOGLE\n"
            "Registrar:                    FAJN-0002\nCreated:                      2003-07-24\n"
            "Valid Until:                  2025-07-24\nNameserver:                   ns1.google.com\n"
            "Nameserver:                   ns2.google.com\n"
        ),
        "registered": True,
        "created": "2003-07-24",
        "expires": "2025-07-24",
        "registrar": "FAJN-0002",
        "name_servers": ["ns1.google.com", "ns2.google.com"],
    },
    {
        "domain": "example.com",
        "text": (
            "Domain Name: EXAMPLE.COM\nRegistrar: RESERVED-Internet Assigned Numbers Authority\n"
            "Whois Server: whois.iana.org\nName Server: A.IANA-SERVERS.NET\n"
            "Name Server: B.IANA-SERVERS.NET\nStatus: clientDeleteProhibited\n"
            "Updated Date: 14-aug-2023\nCreation Date: 14-aug-1995\nExpiration Date: 13-aug-2024\n"
        ),
        "registered": True,
        "created": "1995-08-14",
        "expires": "2024-08-13",
        "registrar": "RESERVED-Internet Assigned Numbers Authority",
        "name_servers": ["a.iana-servers.net", "b.iana-servers.net"],
    },
    {
        "domain": "example.pe",
        "text": (
            "Domain Name: example.pe\nWHOIS Server: NIC .PE\n"
            "Sponsoring Registrar: Example Registrar SAC\nDomain Status: clientTransferProhibited\n"
            "Registrant Name: Contact Privacy Inc. Customer 0123\nName Server: ns1.example.net\n"
            "Name Server: ns2.example.net\nDNSSEC: unsigned\n"
        ),
        "registered": True,
        "registrar": "Example Registrar SAC",
        "registrant_org": None,
        "registrant_redacted": True,
        "name_servers": ["ns1.example.net", "ns2.example.net"],
    },
    # Answers that say "not registered" in words of their own.
    {
        "domain": "nxdomain-x1.be",
        "text": "Domain:\tnxdomain-x1.be\nStatus:\tAVAILABLE\n",
        "registered": False,
    },
    {
        "domain": "nxdomain-x1.ch",
        "text": "We do not have an entry in our database matching your query.\n",
        "registered": False,
    },
    {"domain": "nxdomain-x1.cn", "text": "No matching record.\n", "registered": False},
    {
        "domain": "nxdomain-x1.xyz",
        "text": "DOMAIN NOT FOUND\n\nAccess to the Whois and RDAP services is rate limited.\n",
        "registered": False,
    },
    {
        "domain": "nxdomain-x1.io",
        "text": "NOT FOUND\n>>> Last update of WHOIS database: 2024-01-01T00:00:00Z <<<\n",
        "registered": False,
    },
    {"domain": "nxdomain-x1.co.nz", "text": "query_status: 220 Available\n", "registered": False},
    {
        "domain": "nxdomain-x1.jp",
        "text": "[ JPRS database provides information on network administration. ]\n\nNo match!!\n",
        "registered": False,
    },
    {
        "domain": "nxdomain-x1.kr",
        "text": "The requested domain was not found in the Registry or Registrar's WHOIS Server.\n\nDomain not found.\n",
        "registered": False,
    },
    {
        "domain": "nxdomain-x1.lt",
        "text": "Domain:\t\t\tnxdomain-x1.lt\nStatus:\t\t\tavailable\n",
        "registered": False,
    },
    {"domain": "nxdomain-x1.fr", "text": "%% NOT FOUND\n", "registered": False},
    {"domain": "nxdomain-x1.ee", "text": "Domain not found\n", "registered": False},
    {"domain": "nxdomain-x1.sg", "text": "Domain Not Found\n", "registered": False},
    {"domain": "nxdomain-x1.com.au", "text": "NOT FOUND\n", "registered": False},
    {
        "domain": "nxdomain-x1.pl",
        "text": "No information available about domain name nxdomain-x1.pl in the Registry NASK database.\n",
        "registered": False,
    },
    {"domain": "nxdomain-x1.mx", "text": "Object_Not_Found\n", "registered": False},
]
