"""The SCIM 2.0 adapter of `people sync` (httpx): the only module that speaks SCIM.

Pages through `GET {url}/Users` (RFC 7644 §3.4.2: `startIndex`, `count`, `totalResults`)
with the configured `filter`, authenticated with a bearer token from the environment.
`active = false` means departed. The enterprise extension's `manager.value` is the id of
another user, turned into that user's handle; its `department` and `employeeNumber` are read.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

from socialgov.errors import LookupFailed
from socialgov.roster_sync import PeopleSource, Record

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
DEFAULT_MAP: Mapping[str, str] = {
    "handle": "userName",
    "name": "displayName|name.formatted|name.givenName+name.familyName",
    "email": "emails",
    "department": "enterprise.department",
    "employee_id": "id",
}
_MAX_PAGES = 100_000


def _path(resource: Mapping[str, Any], path: str) -> str:
    """A value by dotted path; `enterprise.` is the enterprise extension; `emails` the primary one."""
    node: Any = resource
    parts = path.split(".")
    if parts[0] == "enterprise":
        node, parts = resource.get(ENTERPRISE, {}), parts[1:]
    if parts == ["emails"]:
        emails = [e for e in resource.get("emails") or [] if isinstance(e, dict) and e.get("value")]
        emails.sort(key=lambda e: (not e.get("primary"), e.get("type") != "work"))
        return str(emails[0]["value"]).strip() if emails else ""
    for part in parts:
        if not isinstance(node, dict):
            return ""
        node = node.get(part)
    return "" if node is None or isinstance(node, dict | list) else str(node).strip()


def _value(resource: Mapping[str, Any], spec: str) -> str:
    for alternative in spec.split("|"):
        text = " ".join(v for p in alternative.split("+") if (v := _path(resource, p.strip())))
        if text:
            return text
    return ""


class ScimDirectory:
    def __init__(self, source: PeopleSource) -> None:
        self.source = source
        self.map = {**DEFAULT_MAP, **source.map}

    def _verify(self) -> ssl.SSLContext | bool:
        if self.source.ca_file is None:
            return True
        return ssl.create_default_context(cafile=str(self.source.ca_file))

    def fetch(self) -> list[Record]:
        import httpx

        source = self.source
        token = source.secret(source.token_env, "token_env")
        base = source.url.rstrip("/") + "/Users"
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/scim+json"}
        resources: list[dict[str, Any]] = []
        start = 1
        with httpx.Client(
            verify=self._verify(), timeout=source.timeout_s, follow_redirects=False
        ) as client:
            for _ in range(_MAX_PAGES):
                params: dict[str, str | int] = {"startIndex": start, "count": source.page_size}
                if source.filter:
                    params["filter"] = source.filter
                page = self._get(client, base, params, headers)
                found = [r for r in page.get("Resources") or [] if isinstance(r, dict)]
                resources += found
                total = int(page.get("totalResults", len(resources)))
                start += len(found)
                if not found or start > total:
                    break
        ids = {str(r.get("id")): self._handle(r) for r in resources}
        return [self._record(r, ids) for r in resources]

    def _get(
        self, client: Any, url: str, params: Mapping[str, str | int], headers: Mapping[str, str]
    ) -> dict[str, Any]:
        import httpx

        where = f"SCIM {self.source.url}"
        try:
            response = client.get(url, params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise LookupFailed(f"{where}: {type(exc).__name__}: {str(exc)[:200]}") from None
        if response.status_code in (401, 403):
            raise LookupFailed(
                f"{where}: the server refused the token (HTTP {response.status_code})",
                hint=f"check the token in ${self.source.token_env}",
            )
        if response.status_code != 200:
            detail = (
                response.text[:200] if "json" in response.headers.get("content-type", "") else ""
            )
            raise LookupFailed(f"{where}: HTTP {response.status_code} {detail}".strip())
        try:
            data = response.json()
        except ValueError:
            raise LookupFailed(f"{where}: the answer is not JSON") from None
        if not isinstance(data, dict):
            raise LookupFailed(f"{where}: expected a SCIM ListResponse")
        return data

    def _handle(self, resource: Mapping[str, Any]) -> str:
        handle = _value(resource, self.map["handle"])
        return (handle.partition("@")[0] if "@" in handle else handle).lower()

    def _record(self, resource: Mapping[str, Any], ids: Mapping[str, str]) -> Record:
        values = {
            f: _value(resource, spec)
            for f, spec in self.map.items()
            if f not in ("handle", "manager", "status")
        }
        values["handle"] = self._handle(resource)
        manager = resource.get(ENTERPRISE, {}).get("manager")
        manager_id = manager.get("value") if isinstance(manager, dict) else manager
        values["manager"] = ids.get(str(manager_id), "") if manager_id else ""
        active = resource.get("active", True)
        values["status"] = "departed" if active is False or active == "false" else "active"
        return Record(origin=f"Users/{resource.get('id')}", values=values)
