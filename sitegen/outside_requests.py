"""Layer 1. Ask an outside URL whether it answers, without being turned against the network.

`sitegen check --external` runs on editors' laptops and on CI runners, next to
services that trust their network (a router's admin page, a cloud's metadata
address at 169.254.169.254, a database's HTTP port). The URLs it asks come from
content anyone can commit, and every server it asks may redirect anywhere. So:

- only `http` and `https`, also after a redirect (never `ftp:`, `file:`, ...);
- every address a name resolves to is checked before connecting, and the
  connection goes to that checked address (a name that resolves differently the
  second time cannot slip through): loopback, private, link-local, multicast and
  reserved addresses are refused unless the user allowed them (`Allowed`);
- one deadline for the whole URL, redirects and a GET after a refused HEAD
  included: a watchdog closes the socket when it passes, so a server that
  trickles one byte at a time cannot hold the check;
- at most MAX_REDIRECTS redirects, and no body is ever read (only the status
  line and headers, which http.client bounds to 100 lines of 64 KiB);
- at most PER_HOST requests to one host at a time (the caller bounds the total).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 5
PER_HOST = 2
REDIRECTS = {301, 302, 303, 307, 308}
RETRY_WITH_GET = {403, 405, 501}
"""Servers that answer HEAD badly but GET well."""
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class _Refused(Exception):
    """The URL is not asked, for the reason given."""


class _Late(Exception):
    """The deadline passed."""


@dataclass(frozen=True)
class Allowed:
    """What may be asked although it is not on the public internet: `HOST`, `HOST:PORT`,
    an address or a network (`10.1.0.0/16`), or `any`."""

    entries: tuple[str, ...] = ()

    @classmethod
    def parse(cls, values: Iterable[str]) -> Allowed:
        """Raises ValueError naming an entry that is none of the forms."""
        entries = []
        for value in values:
            value = value.strip().lower()
            if "/" in value:
                ipaddress.ip_network(value, strict=False)  # raises ValueError
            elif not value:
                raise ValueError("an empty --allow-private value")
            entries.append(value)
        return cls(tuple(entries))

    def admits(self, host: str, address: Address, port: int) -> bool:
        for entry in self.entries:
            if entry == "any":
                return True
            if "/" in entry:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
                continue
            name, given = _split_port(entry)
            if name in (host.lower(), str(address)) and given in (None, port):
                return True
        return False


def _split_port(entry: str) -> tuple[str, int | None]:
    if entry.startswith("["):  # [::1]:8080
        name, _, rest = entry[1:].partition("]")
        return name, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    name, colon, port = entry.rpartition(":")
    if colon and port.isdigit() and ":" not in name:
        return name, int(port)
    return entry, None


class Asker:
    """Asks URLs (from many threads at once), each within `timeout` seconds in all."""

    def __init__(self, timeout: float, allowed: Allowed, user_agent: str) -> None:
        self.timeout, self.allowed, self.user_agent = timeout, allowed, user_agent
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    def ask(self, url: str) -> str | None:
        """None if the URL answers with a success (after redirects), else what went wrong."""
        deadline = time.monotonic() + self.timeout
        try:
            for method in ("HEAD", "GET"):
                status, reason = self._follow(method, url, deadline)
                if status < 400:
                    return None
                if not (method == "HEAD" and status in RETRY_WITH_GET):
                    return f"the server answered {status} {reason}"
        except _Late:
            return f"no answer within {self.timeout:g} s"
        except _Refused as refused:
            return str(refused)
        return None

    def _follow(self, method: str, url: str, deadline: float) -> tuple[int, str]:
        current = "https:" + url if url.startswith("//") else url
        for _ in range(MAX_REDIRECTS + 1):
            status, reason, location = self._once(method, current, deadline)
            if status not in REDIRECTS or not location:
                return status, reason
            target = urljoin(current, location)
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                raise _Refused(f"redirects to {target}, which is not http or https: "
                               "not followed")
            current = target
        raise _Refused(f"more than {MAX_REDIRECTS} redirects: not followed")

    def _once(self, method: str, url: str, deadline: float) -> tuple[int, str, str | None]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise _Refused(f"{url} is not http or https: not asked")
        host = parts.hostname
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise _Refused(f"{url} has a bad port: not asked") from None
        if not host:
            raise _Refused(f"{url} names no host: not asked")
        address = self._address(host, port, deadline)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        slot = self._host_slot(host)
        if not slot.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise _Late()
        try:
            return self._exchange(scheme, host, port, address, method, target, deadline)
        finally:
            slot.release()

    def _address(self, host: str, port: int, deadline: float) -> Address:
        """The first address of `host` that may be asked; refused if none may."""
        found: list[list[tuple]] = []
        failed: list[OSError] = []

        def look_up() -> None:
            try:
                found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
            except OSError as exc:
                failed.append(exc)

        # The resolver has no timeout of its own: it runs aside, bounded by the deadline.
        lookup = threading.Thread(target=look_up, daemon=True)
        lookup.start()
        lookup.join(max(0.0, deadline - time.monotonic()))
        if lookup.is_alive():
            raise _Late()
        if failed:
            raise _Refused(f"could not connect ({failed[0]})")
        refused: list[str] = []
        for *_, sockaddr in found[0]:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
                address = address.ipv4_mapped
            if (address.is_global and not address.is_multicast) or \
                    self.allowed.admits(host, address, port):
                return address
            refused.append(str(address))
        raise _Refused(f"{host} is a loopback, private or link-local address "
                       f"({', '.join(dict.fromkeys(refused))}): not asked; to check links to "
                       "your own network, allow it with --allow-private")

    def _host_slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            return self._hosts.setdefault(host.lower(), threading.BoundedSemaphore(PER_HOST))

    def _exchange(self, scheme: str, host: str, port: int, address: Address, method: str,
                  target: str, deadline: float) -> tuple[int, str, str | None]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Late()
        connection: http.client.HTTPConnection
        if scheme == "https":
            connection = http.client.HTTPSConnection(host, port, timeout=remaining,
                                                     context=ssl.create_default_context())
        else:
            connection = http.client.HTTPConnection(host, port, timeout=remaining)

        def connect(_: object, timeout: float | None = None,
                    source_address: object = None) -> socket.socket:
            # To the address that was checked, never to a second lookup of the name.
            return socket.create_connection((str(address), port), timeout)

        connection._create_connection = connect  # type: ignore[attr-defined]
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):  # already closed
                    sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(remaining, expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.request(method, target, headers={
                "User-Agent": self.user_agent, "Accept": "*/*", "Connection": "close"})
            response = connection.getresponse()
            return response.status, response.reason, response.getheader("Location")
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if expired.is_set() or isinstance(exc, TimeoutError):
                raise _Late() from None
            if isinstance(exc, ssl.SSLError | ssl.CertificateError):
                raise _Refused(f"could not connect securely ({exc})") from None
            raise _Refused(f"could not connect ({exc})") from None
        finally:
            watchdog.cancel()
            connection.close()  # the body is never read
