"""Apache Kafka with a SASL_SSL listener for the secured-broker tests: a CA and a server certificate made
here with openssl, PLAIN users in the listener's JAAS config and SCRAM users stored at format time."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from service.adapters.child_process import free_port
from service.adapters.kafka.apache import ApacheKafka, Listener

USER, PASSWORD = "newswire-svc", "s3cret-Pa55-f0r-tests"


@dataclass(frozen=True)
class CertificateAuthority:
    cert: Path
    key: Path


def openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_ca(directory: Path, name: str) -> CertificateAuthority:
    directory.mkdir(parents=True, exist_ok=True)
    ca = CertificateAuthority(directory / f"{name}.crt", directory / f"{name}.key")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
            "-keyout", str(ca.key), "-out", str(ca.cert))  # fmt: skip
    return ca


def server_pem(ca: CertificateAuthority, directory: Path) -> Path:
    """Key (PKCS#8) and certificate for 127.0.0.1, signed by `ca`, in one PEM file as Kafka's PEM keystore takes it."""
    key, csr, cert = directory / "server.key", directory / "server.csr", directory / "server.crt"
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(csr))
    extensions = directory / "san.ext"
    extensions.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca.cert), "-CAkey", str(ca.key), "-CAcreateserial",
            "-days", "2", "-extfile", str(extensions), "-out", str(cert))  # fmt: skip
    pem = directory / "server.pem"
    pem.write_text(key.read_text() + cert.read_text())
    return pem


def secured_kafka(workdir: Path, ca: CertificateAuthority) -> tuple[ApacheKafka, Listener]:
    secure = Listener("SECURE", "SASL_SSL")
    prefix = "listener.name.secure"
    scram_login = "org.apache.kafka.common.security.scram.ScramLoginModule required;"
    properties = {
        f"{prefix}.sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
        f"{prefix}.plain.sasl.jaas.config":
            f'org.apache.kafka.common.security.plain.PlainLoginModule required user_{USER}="{PASSWORD}";',
        f"{prefix}.scram-sha-256.sasl.jaas.config": scram_login,
        f"{prefix}.scram-sha-512.sasl.jaas.config": scram_login,
        f"{prefix}.ssl.keystore.type": "PEM",
        f"{prefix}.ssl.keystore.location": str(server_pem(ca, workdir)),
    }  # fmt: skip
    scram = [f"SCRAM-SHA-{bits}=[name={USER},password={PASSWORD}]" for bits in (256, 512)]
    kafka = ApacheKafka(workdir / "data", free_port(), workdir / "broker.log", listeners=[secure],
                        properties=properties, scram_users=scram)  # fmt: skip
    return kafka, secure
