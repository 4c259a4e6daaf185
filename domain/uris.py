"""Tracking URIs: credentials never leave this module in a string meant for people."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit


def redacted_uri(uri: str) -> str:
    """The URI with any ``user:password@`` part replaced by ``***@``.

    >>> redacted_uri("https://alice:s3cret@mlflow.example.com/api")
    'https://***@mlflow.example.com/api'
    """
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][\w+.-]*://)[^/\s@]+@")


def redacted_text(text: str) -> str:
    """``text`` with the ``user:password@`` part of every URI in it replaced by ``***@``."""
    return _USERINFO.sub(r"\g<scheme>***@", text)
