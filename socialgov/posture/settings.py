"""Read `[dns]` and `[web]` of socialgov.toml (types are checked by the schema first)."""

from __future__ import annotations

from typing import Any

from socialgov.errors import InputError
from socialgov.lookup.posture_settings import DnsSettings, WebSettings
from socialgov.model import SourceText


def split_host_port(text: str, default_port: int) -> tuple[str, int]:
    """`host`, `host:port`, `[v6]:port` or a bare IPv6 address; ValueError when malformed."""
    text = text.strip()
    if not text:
        raise ValueError("empty")
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":") if rest else ""
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host, port_text = text, ""
    if not host or any(c.isspace() for c in host):
        raise ValueError("no host")
    port = int(port_text) if port_text else default_port
    if not 0 < port < 65536:
        raise ValueError("port out of range")
    return host, port


def dns_settings(table: dict[str, Any], rel: str, source: SourceText) -> DnsSettings:
    defaults = DnsSettings()
    for server in table.get("nameservers", ()):
        try:
            split_host_port(server, 53)
        except ValueError:
            raise InputError(
                f'dns.nameservers has {server!r}: expected "host" or "host:port"',
                file=rel,
                line=source.line_of("dns.nameservers"),
            ) from None
    _at_least(table, "dns", ("concurrency", "ns_port"), 1, rel, source)
    _positive(table, "dns", ("timeout_s",), rel, source)
    if table.get("ns_port", 1) > 65535:
        raise InputError(
            f"dns.ns_port = {table['ns_port']}: expected a port number (1-65535)",
            file=rel,
            line=source.line_of("dns.ns_port"),
        )
    return DnsSettings(
        nameservers=tuple(table.get("nameservers", defaults.nameservers)),
        timeout_s=float(table.get("timeout_s", defaults.timeout_s)),
        concurrency=int(table.get("concurrency", defaults.concurrency)),
        ns_port=int(table.get("ns_port", defaults.ns_port)),
    )


def web_settings(table: dict[str, Any], rel: str, source: SourceText) -> WebSettings:
    defaults = WebSettings()
    _at_least(table, "web", ("max_bytes",), 1, rel, source)
    _at_least(table, "web", ("max_redirects",), 0, rel, source)
    _positive(table, "web", ("timeout_s",), rel, source)
    return WebSettings(
        timeout_s=float(table.get("timeout_s", defaults.timeout_s)),
        max_bytes=int(table.get("max_bytes", defaults.max_bytes)),
        allow_private=bool(table.get("allow_private", defaults.allow_private)),
        ca_file=str(table.get("ca_file", defaults.ca_file)),
        max_redirects=int(table.get("max_redirects", defaults.max_redirects)),
    )


def _at_least(
    table: dict[str, Any],
    section: str,
    keys: tuple[str, ...],
    least: int,
    rel: str,
    source: SourceText,
) -> None:
    for key in keys:
        if key in table and table[key] < least:
            raise InputError(
                f"{section}.{key} = {table[key]}: expected a whole number of at least {least}",
                file=rel,
                line=source.line_of(f"{section}.{key}"),
            )


def _positive(
    table: dict[str, Any], section: str, keys: tuple[str, ...], rel: str, source: SourceText
) -> None:
    for key in keys:
        if key in table and table[key] <= 0:
            raise InputError(
                f"{section}.{key} = {table[key]}: expected a number of seconds above 0",
                file=rel,
                line=source.line_of(f"{section}.{key}"),
            )
