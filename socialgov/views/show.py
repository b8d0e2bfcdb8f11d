"""`show`: one asset with its owners resolved, its latest observation and its open findings."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from socialgov.model import TEAM_PREFIX, AssetId, Kind, Registry
from socialgov.model.ownership import departed_holdings, is_orphaned

if TYPE_CHECKING:
    from rich.console import Console


def describe_asset(registry: Registry, asset_id: AssetId, today: date) -> dict[str, Any]:
    from socialgov.policy.engine import audit
    from socialgov.policy.inputs import working_tree_inputs
    from socialgov.registry.load import load_observation

    asset = registry.assets[asset_id]
    roster = registry.roster
    owners = []
    for owner in asset.owners:
        entry: dict[str, Any] = {
            "owner": owner,
            "known": roster.knows(owner),
            "active": roster.is_active_owner(owner),
        }
        if owner.startswith(TEAM_PREFIX):
            entry["members"] = [
                {"handle": h, "status": roster.people[h].status.value}
                for h in roster.members(owner)
                if h in roster.people
            ]
        elif owner in roster.people:
            person = roster.people[owner]
            entry.update(name=person.name, email=person.email, status=person.status.value)
        owners.append(entry)
    observation = load_observation(registry.root, asset.name) if asset.kind is Kind.DOMAIN else None
    inputs = working_tree_inputs(registry, assets=[asset_id])
    result = audit(inputs, today=today, assets=[asset_id])
    from socialgov.posture.load import asset_posture
    from socialgov.registry.files import DiskFiles

    dns, web = asset_posture(DiskFiles(registry.root), asset)
    return {
        "asset": asset.to_json(),
        "profile_url": _profile_url(asset.section) if asset.kind is Kind.SOCIAL else None,
        "owners": owners,
        "orphaned": is_orphaned(asset, roster),
        "departed_holders": sorted({h.handle for h in departed_holdings(asset, roster)}),
        "observation": observation.to_json() if observation else None,
        "dns": dns.to_json() if dns else None,
        "web": web.to_json() if web else None,
        "findings": [f.to_json() for f in result.findings],
    }


def _profile_url(social: Any) -> str | None:
    """The recorded url, else the one derived from the platform's table (socialgov.model.platforms)."""
    from socialgov.model.platforms import profile_url

    if social.get("url"):
        return str(social["url"])
    platform, handle = social.get("platform"), social.get("handle")
    if not platform or not handle:
        return None
    return profile_url(str(platform), str(handle))


def render_asset(console: Console, details: dict[str, Any]) -> None:
    from rich.table import Table

    asset = details["asset"]
    title = asset["id"] + (f"  ({asset['unicode_name']})" if asset.get("unicode_name") else "")
    console.print(
        f"[bold]{title}[/]  {asset['status']}, criticality {asset['criticality']}  [dim]{asset['file']}[/]"
    )
    for owner in details["owners"]:
        state = "active" if owner["active"] else ("unknown" if not owner["known"] else "not active")
        name = owner.get("name") or ", ".join(m["handle"] for m in owner.get("members", []))
        console.print(
            f"  owner {owner['owner']}: {name} [{'green' if owner['active'] else 'red'}]{state}[/]"
        )
    if details["orphaned"]:
        console.print("  [bold red]orphaned: no active owner[/]")
    if details["departed_holders"]:
        console.print(
            "  [red]still held by departed: " + ", ".join(details["departed_holders"]) + "[/]"
        )
    fields = Table(show_header=False, box=None, padding=(0, 2))
    for key, value in asset.items():
        if key not in (
            "id",
            "kind",
            "name",
            "file",
            "owners",
            "status",
            "criticality",
            "unicode_name",
        ):
            fields.add_row(key, _plain(value))
    if details.get("profile_url") and not asset.get("social", {}).get("url"):
        fields.add_row("profile", f"{details['profile_url']} (derived from the handle)")
    if fields.rows:
        console.print(fields)
    observation = details["observation"]
    if observation:
        console.print(
            f"  observed {observation['fetched_at']} via {observation['source']}: registrar {observation['registrar']}, "
            f"expires {observation['expires']}"
        )
    _render_posture(console, details.get("dns"), details.get("web"))
    findings = details["findings"]
    console.print(
        f"[bold]{len(findings)} open finding{'' if len(findings) == 1 else 's'}[/]"
        if findings
        else "[green]no open findings[/]"
    )
    for finding in findings:
        waived = " (waived)" if finding.get("waived") else ""
        console.print(
            f"  {finding['severity']:<8} {finding['rule']}{waived}: {finding['message']}  [dim]line {finding['line']}[/]"
        )


def _render_posture(
    console: Console, dns: dict[str, Any] | None, web: dict[str, Any] | None
) -> None:
    from rich.markup import escape

    if dns:
        console.print(f"  DNS of {dns['name']} observed {dns['fetched_at']}: {dns['status']}")
        for key in ("ns", "mx", "spf", "dmarc", "caa"):
            if dns.get(key):
                console.print(f"    {key.upper():<6} {escape(', '.join(dns[key]))}")
        if dns.get("cname"):
            console.print(f"    CNAME  {' → '.join(dns['cname'])} ({dns['cname_end']})")
        if dns.get("dnssec"):
            console.print(f"    DNSSEC {escape(_plain(dns['dnssec']))}")
        for server in dns.get("name_servers", []):
            if server["answer"] != "authoritative":
                console.print(f"    [red]name server {server['host']}: {server['answer']}[/]")
        if dns.get("failed"):
            console.print(f"    [yellow]failed: {escape(_plain(dns['failed']))}[/]")
    if web:
        if web.get("refused") or web.get("error"):
            state = f"[red]{escape(web.get('refused') or web.get('error') or '')}[/]"
        else:
            state = f"{web['status']} {escape(web.get('final_url') or '')}"
        console.print(f"  web {escape(web['url'])} observed {web['fetched_at']}: {state}")
        tls = web.get("tls")
        if tls:
            problem = f" [red]{tls['problem']}[/]" if tls.get("problem") else ""
            console.print(
                f"    certificate {escape(tls['issuer'])}, until {tls['not_after']}{problem}"
            )
        if web.get("unclaimed"):
            console.print(f"    [bold red]unclaimed {escape(web['unclaimed']['service'])} page[/]")


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
