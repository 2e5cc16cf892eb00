"""Where the brokers are and how to log in: one value for every Kafka client the service opens.

`Connection.of(settings)` carries NEWSWIRE_BROKER and the NEWSWIRE_SECURITY_PROTOCOL / SASL / SSL
settings; `client_options()` are the matching aiokafka arguments (service/stream/app.py turns the same
settings into Faust's credentials), so the worker, `feed`, `tail`, `dev`, `replay` and topic admin
all log in the same way.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Any

from aiokafka.conn import create_conn
from aiokafka.errors import KafkaConnectionError, SaslAuthenticationFailed

from service.config import KafkaSecurity, Settings


@dataclass(frozen=True)
class Connection:
    broker_url: str
    security: KafkaSecurity = field(default_factory=KafkaSecurity)

    @classmethod
    def of(cls, settings: Settings) -> Connection:
        return cls(settings.broker, settings.security)

    @property
    def bootstrap(self) -> str:
        """'kafka://h1:9092;h2:9092' (Faust's form) → 'h1:9092,h2:9092' (aiokafka's)."""
        return bootstrap_servers(self.broker_url)

    def client_options(self) -> dict[str, Any]:
        """aiokafka keyword arguments: bootstrap servers and the login."""
        sec = self.security
        options: dict[str, Any] = {"bootstrap_servers": self.bootstrap, "security_protocol": sec.protocol}
        if sec.uses_ssl:
            options["ssl_context"] = ssl_context(sec)
        if sec.uses_sasl:
            options.update(sasl_mechanism=sec.sasl_mechanism, sasl_plain_username=sec.sasl_username,
                           sasl_plain_password=sec.sasl_password)  # fmt: skip
        return options


def bootstrap_servers(broker_url: str) -> str:
    hosts = broker_url.replace(";", ",").split(",")
    return ",".join(host.split("://", 1)[-1].strip().rstrip("/") for host in hosts if host.strip())


def ssl_context(security: KafkaSecurity) -> ssl.SSLContext:
    """Verifies the broker against NEWSWIRE_SSL_CAFILE (else the system's CAs); a client certificate if given."""
    context = ssl.create_default_context(cafile=str(security.ssl_cafile) if security.ssl_cafile else None)
    if security.ssl_certfile is not None and security.ssl_keyfile is not None:
        context.load_cert_chain(str(security.ssl_certfile), str(security.ssl_keyfile))
    return context


class LoginError(RuntimeError):
    """The broker refused this login; the message names the setting to fix (never its secret)."""


async def check_login(connection: Connection, timeout_ms: int = 15000) -> None:
    """Connect once to the first bootstrap server that answers and log in as the settings say.

    Clients retry a refused login forever and say only "Unable to bootstrap"; this names the cause
    at startup instead. A broker that cannot be reached at all is left to the clients' retries.
    """
    sec = connection.security
    options = {k: v for k, v in connection.client_options().items() if k != "bootstrap_servers"}
    for address in connection.bootstrap.split(","):
        host, _, port = address.rpartition(":")
        try:
            conn = await create_conn(host, int(port), request_timeout_ms=timeout_ms, **options)
        except ssl.SSLCertVerificationError as exc:
            trusted_by = f"the CA in NEWSWIRE_SSL_CAFILE ({sec.ssl_cafile})" if sec.ssl_cafile else "the system's CAs"
            raise LoginError(
                f"NEWSWIRE_SSL_CAFILE: the certificate of {address} is not trusted by {trusted_by} "
                f"({exc.verify_message})"
            ) from None
        except ssl.SSLError as exc:
            raise LoginError(f"NEWSWIRE_SECURITY_PROTOCOL={sec.protocol}: TLS with {address} failed: {exc}") from None
        except SaslAuthenticationFailed:
            raise LoginError(
                f"{sec.password_source}: {address} rejected the login of NEWSWIRE_SASL_USERNAME={sec.sasl_username!r} "
                f"with NEWSWIRE_SASL_MECHANISM={sec.sasl_mechanism} (wrong password, user or mechanism)"
            ) from None
        except (TimeoutError, OSError, KafkaConnectionError):
            continue  # not reachable (yet): the clients' own retries handle that
        conn.close()
        return
