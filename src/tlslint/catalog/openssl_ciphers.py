"""OpenSSL cipher strings, expanded the way ``SSL_CTX_set_cipher_list`` expands them, in pure Python.

The model (see docs/ciphers.md for the full description):

* OpenSSL keeps every cipher it has in one ordered list, each entry active or not. Before a string
  is read, the list is put into OpenSSL's *initial order* (ECDHE first, AEAD before CBC, stronger
  before weaker, ...) and everything is inactive.
* Each element of the string selects suites by bit masks (``kRSA``, ``AESGCM``, ``HIGH`` ...; ``+``
  between names intersects them; a suite name selects that suite) and applies one operation:
  no prefix adds (appends inactive matches to the end), ``-`` deletes (deactivates, keeping them at
  the front so that a later add brings them back in their old order), ``+`` moves active matches to
  the end, ``!`` kills (removes for good). ``@STRENGTH`` sorts the active suites by strength bits,
  ``@SECLEVEL=n`` sets the security level.
* The result is the active suites in list order. An empty result is an error, as in OpenSSL.

Everything is data-driven from :mod:`._openssl_data`; the bit values below are ours, not OpenSSL's.
"""

from __future__ import annotations

import re
from functools import cache

from tlslint.catalog.suites import CipherSuite, lookup
from tlslint.records import Frozen, Record

__all__ = [
    "DEFAULT_TLS13_CIPHERSUITES",
    "OPENSSL_VERSIONS",
    "CipherString",
    "CipherStringError",
    "OpenSSLCipher",
    "default_security_level",
    "expand",
    "expand_ciphers",
    "parse",
    "parse_ciphersuites",
    "security_level_of",
]

#: OpenSSL's built-in TLS 1.3 ``Ciphersuites`` value (1.1.1 to 3.x).
DEFAULT_TLS13_CIPHERSUITES = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"
#: What ``DEFAULT`` expands to (``OSSL_default_cipher_list()`` / ``SSL_DEFAULT_CIPHER_LIST``).
DEFAULT_CIPHER_LIST = "ALL:!COMPLEMENTOFDEFAULT:!eNULL"
#: Version families whose behaviour is modelled; any other "x.y[.z]" maps to the nearest one.
OPENSSL_VERSIONS = ("1.1.1", "3.0", "3.2")
#: TLS 1.3 suites OpenSSL builds by default (in this order of preference in its own table).
_TLS13_AVAILABLE = (
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_CCM_SHA256",
    "TLS_AES_128_CCM_8_SHA256",
)


class CipherStringError(ValueError):
    """The string is not something OpenSSL would accept; the message names the problem."""


# --- bit masks -------------------------------------------------------------------------------------

_MKEY = {name: 1 << i for i, name in enumerate(("RSA", "DH", "ECDH", "PSK", "RSAPSK", "DHEPSK", "ECDHEPSK", "SRP"))}
_AUTH = {name: 1 << i for i, name in enumerate(("RSA", "DSS", "None", "ECDSA", "PSK", "SRP"))}
_ENC_NAMES = [
    "None",
    "AES128",
    "AES256",
    "AESGCM128",
    "AESGCM256",
    "AESCCM128",
    "AESCCM256",
    "AESCCM8128",
    "AESCCM8256",
    "CAMELLIA128",
    "CAMELLIA256",
    "CHACHA20",
    "ARIAGCM128",
    "ARIAGCM256",
    "3DES168",
    "SEED128",
    "IDEA128",
    "RC4128",
    "RC2128",
    "DES56",
]
_ENC = {name: 1 << i for i, name in enumerate(_ENC_NAMES)}
_MAC = {name: 1 << i for i, name in enumerate(("MD5", "SHA1", "SHA256", "SHA384", "AEAD"))}
_VERSION = {"SSLv3": 0x300, "TLSv1.0": 0x301, "TLSv1.2": 0x303}
_STRONG_NONE, _LOW, _MEDIUM, _HIGH, _FIPS, _NOT_DEFAULT = 1, 2, 4, 8, 16, 32
_STRONG_MASK = _STRONG_NONE | _LOW | _MEDIUM | _HIGH | _FIPS
_STRENGTH = {"NONE": _STRONG_NONE, "LOW": _LOW, "MEDIUM": _MEDIUM, "HIGH": _HIGH}
_ALL_ENC = sum(_ENC.values())


def _enc(*names: str) -> int:
    return sum(_ENC[name] for name in names)


_AES128 = _enc("AES128", "AESGCM128", "AESCCM128", "AESCCM8128")
_AES256 = _enc("AES256", "AESGCM256", "AESCCM256", "AESCCM8256")
_AESGCM = _enc("AESGCM128", "AESGCM256")
_CHACHA = _enc("CHACHA20")


class _Mask(Frozen):
    """A selector: an alias or a suite. Zero in a field means "any"."""

    __slots__ = ("mkey", "auth", "enc", "mac", "min_tls", "strength", "suite_id")

    mkey: int
    auth: int
    enc: int
    mac: int
    min_tls: int
    strength: int
    suite_id: int  # non-zero only for an explicit suite name

    def __init__(
        self,
        mkey: int = 0,
        auth: int = 0,
        enc: int = 0,
        mac: int = 0,
        min_tls: int = 0,
        strength: int = 0,
        suite_id: int = 0,
    ) -> None:
        object.__setattr__(self, "mkey", mkey)
        object.__setattr__(self, "auth", auth)
        object.__setattr__(self, "enc", enc)
        object.__setattr__(self, "mac", mac)
        object.__setattr__(self, "min_tls", min_tls)
        object.__setattr__(self, "strength", strength)
        object.__setattr__(self, "suite_id", suite_id)


# The aliases OpenSSL 3.0 knows (ssl_ciph.c's alias table), as selectors. "ALL" excludes eNULL.
_K, _A, _M = _MKEY, _AUTH, _MAC
_ALL_PSK = _K["PSK"] | _K["RSAPSK"] | _K["DHEPSK"] | _K["ECDHEPSK"]


@cache
def _aliases() -> dict[str, _Mask]:
    """The alias table, built on first use (keeps the module import cheap)."""
    return {
        "ALL": _Mask(enc=_ALL_ENC & ~_ENC["None"]),
        "COMPLEMENTOFALL": _Mask(enc=_ENC["None"]),
        "COMPLEMENTOFDEFAULT": _Mask(strength=_NOT_DEFAULT),
        "kRSA": _Mask(mkey=_K["RSA"]),
        "kEDH": _Mask(mkey=_K["DH"]),
        "kDHE": _Mask(mkey=_K["DH"]),
        "DH": _Mask(mkey=_K["DH"]),
        "kEECDH": _Mask(mkey=_K["ECDH"]),
        "kECDHE": _Mask(mkey=_K["ECDH"]),
        "ECDH": _Mask(mkey=_K["ECDH"]),
        "kPSK": _Mask(mkey=_K["PSK"]),
        "kRSAPSK": _Mask(mkey=_K["RSAPSK"]),
        "kECDHEPSK": _Mask(mkey=_K["ECDHEPSK"]),
        "kDHEPSK": _Mask(mkey=_K["DHEPSK"]),
        "kSRP": _Mask(mkey=_K["SRP"]),
        "aRSA": _Mask(auth=_A["RSA"]),
        "aDSS": _Mask(auth=_A["DSS"]),
        "DSS": _Mask(auth=_A["DSS"]),
        "aNULL": _Mask(auth=_A["None"]),
        "aECDSA": _Mask(auth=_A["ECDSA"]),
        "ECDSA": _Mask(auth=_A["ECDSA"]),
        "aPSK": _Mask(auth=_A["PSK"]),
        "aSRP": _Mask(auth=_A["SRP"]),
        "EDH": _Mask(mkey=_K["DH"], auth=~_A["None"]),
        "DHE": _Mask(mkey=_K["DH"], auth=~_A["None"]),
        "EECDH": _Mask(mkey=_K["ECDH"], auth=~_A["None"]),
        "ECDHE": _Mask(mkey=_K["ECDH"], auth=~_A["None"]),
        "NULL": _Mask(enc=_ENC["None"]),
        "RSA": _Mask(mkey=_K["RSA"], auth=_A["RSA"]),
        "ADH": _Mask(mkey=_K["DH"], auth=_A["None"]),
        "AECDH": _Mask(mkey=_K["ECDH"], auth=_A["None"]),
        "PSK": _Mask(mkey=_ALL_PSK),
        "SRP": _Mask(mkey=_K["SRP"]),
        "3DES": _Mask(enc=_ENC["3DES168"]),
        "RC4": _Mask(enc=_ENC["RC4128"]),
        "RC2": _Mask(enc=_ENC["RC2128"]),
        "IDEA": _Mask(enc=_ENC["IDEA128"]),
        "SEED": _Mask(enc=_ENC["SEED128"]),
        "eNULL": _Mask(enc=_ENC["None"]),
        "AES128": _Mask(enc=_AES128),
        "AES256": _Mask(enc=_AES256),
        "AES": _Mask(enc=_AES128 | _AES256),
        "AESGCM": _Mask(enc=_AESGCM),
        "AESCCM": _Mask(enc=_enc("AESCCM128", "AESCCM256", "AESCCM8128", "AESCCM8256")),
        "AESCCM8": _Mask(enc=_enc("AESCCM8128", "AESCCM8256")),
        "CAMELLIA128": _Mask(enc=_ENC["CAMELLIA128"]),
        "CAMELLIA256": _Mask(enc=_ENC["CAMELLIA256"]),
        "CAMELLIA": _Mask(enc=_enc("CAMELLIA128", "CAMELLIA256")),
        "CHACHA20": _Mask(enc=_CHACHA),
        "ARIA": _Mask(enc=_enc("ARIAGCM128", "ARIAGCM256")),
        "ARIAGCM": _Mask(enc=_enc("ARIAGCM128", "ARIAGCM256")),
        "ARIA128": _Mask(enc=_ENC["ARIAGCM128"]),
        "ARIA256": _Mask(enc=_ENC["ARIAGCM256"]),
        "CBC": _Mask(
            enc=_enc(
                "AES128", "AES256", "CAMELLIA128", "CAMELLIA256", "3DES168", "SEED128", "IDEA128", "RC2128", "DES56"
            )
        ),
        "MD5": _Mask(mac=_M["MD5"]),
        "SHA1": _Mask(mac=_M["SHA1"]),
        "SHA": _Mask(mac=_M["SHA1"]),
        "SHA256": _Mask(mac=_M["SHA256"]),
        "SHA384": _Mask(mac=_M["SHA384"]),
        "SSLv3": _Mask(min_tls=_VERSION["SSLv3"]),
        "TLSv1": _Mask(min_tls=_VERSION["TLSv1.0"]),
        "TLSv1.0": _Mask(min_tls=_VERSION["TLSv1.0"]),
        "TLSv1.2": _Mask(min_tls=_VERSION["TLSv1.2"]),
        "LOW": _Mask(strength=_LOW),
        "MEDIUM": _Mask(strength=_MEDIUM),
        "HIGH": _Mask(strength=_HIGH),
        "FIPS": _Mask(enc=_ALL_ENC & ~_ENC["None"], strength=_FIPS),
    }


class OpenSSLCipher(Frozen):
    """One TLS <= 1.2 suite as OpenSSL classifies it."""

    __slots__ = ("name", "suite", "ident", "mask", "strength_bits")

    name: str
    suite: CipherSuite
    ident: int  # 0x0300xxxx, as OpenSSL numbers suites (unique, non-zero)
    mask: _Mask  # its classification; suite_id is set, so as a selector it matches only itself
    strength_bits: int

    def __init__(self, name: str, suite: CipherSuite, ident: int, mask: _Mask, strength_bits: int) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "suite", suite)
        object.__setattr__(self, "ident", ident)
        object.__setattr__(self, "mask", mask)
        object.__setattr__(self, "strength_bits", strength_bits)

    @property
    def min_version(self) -> str:
        """The lowest protocol version as OpenSSL states it (``openssl ciphers -v``)."""
        return {0x300: "SSLv3", 0x301: "TLSv1.0", 0x303: "TLSv1.2"}[self.mask.min_tls]


@cache
def _table(family: str) -> tuple[OpenSSLCipher, ...]:
    """The suites OpenSSL of this version family builds, in its raw table order."""
    from tlslint.catalog import _openssl_data as data

    text = data.OPENSSL_30 + (data.OPENSSL_111_EXTRA if family == "1.1.1" else "")
    out = []
    for line in text.splitlines():
        name, code, kx, au, enc, mac, proto, strength, flags, bits = line.split()
        suite = lookup(f"0x{code}")
        if suite is None:  # pragma: no cover - the data files are checked by the tests
            raise LookupError(f"{name}: code 0x{code} is not in the IANA table")
        strength_class = _STRENGTH[strength] | (_FIPS if "F" in flags else 0) | (_NOT_DEFAULT if "N" in flags else 0)
        ident = 0x03000000 | int(code, 16)
        mask = _Mask(_MKEY[kx], _AUTH[au], _ENC[enc], _MAC[mac], _VERSION[proto], strength_class, ident)
        out.append(OpenSSLCipher(name, suite, ident, mask, int(bits)))
    return tuple(out)


def _matches(c: _Mask, m: _Mask) -> bool:
    """ssl_cipher_apply_rule's selection: every non-zero field of the selector must intersect."""
    if m.suite_id and m.suite_id != c.suite_id:
        return False
    if m.mkey and not m.mkey & c.mkey:
        return False
    if m.auth and not m.auth & c.auth:
        return False
    if m.enc and not m.enc & c.enc:
        return False
    if m.mac and not m.mac & c.mac:
        return False
    if m.min_tls and m.min_tls != c.min_tls:
        return False
    if m.strength & _STRONG_MASK and not m.strength & _STRONG_MASK & c.strength:
        return False
    return not (m.strength & _NOT_DEFAULT and not m.strength & _NOT_DEFAULT & c.strength)


class _CipherList:
    """OpenSSL's ordered cipher list with active flags (a Python list stands in for its linked list)."""

    def __init__(self, ciphers: list[OpenSSLCipher]) -> None:
        self.order = ciphers
        self.active: set[int] = set()

    def _select(self, mask: _Mask, *, active: bool | None) -> list[OpenSSLCipher]:
        out = []
        for cipher in self.order:
            if active is not None and (cipher.ident in self.active) != active:
                continue
            if _matches(cipher.mask, mask):
                out.append(cipher)
        return out

    def _move(self, moved: list[OpenSSLCipher], *, to_head: bool) -> None:
        ids = {cipher.ident for cipher in moved}
        rest = [cipher for cipher in self.order if cipher.ident not in ids]
        self.order = moved + rest if to_head else rest + moved

    def add(self, mask: _Mask) -> None:
        moved = self._select(mask, active=False)
        self._move(moved, to_head=False)
        self.active.update(cipher.ident for cipher in moved)

    def order_last(self, mask: _Mask) -> None:
        self._move(self._select(mask, active=True), to_head=False)

    def delete(self, mask: _Mask) -> None:
        # Deleted suites go to the front, in order, so a later add restores their relative order.
        moved = self._select(mask, active=True)
        self._move(moved, to_head=True)
        self.active.difference_update(cipher.ident for cipher in moved)

    def bump(self, mask: _Mask) -> None:
        self._move(self._select(mask, active=True), to_head=True)

    def kill(self, mask: _Mask) -> None:
        killed = {cipher.ident for cipher in self._select(mask, active=None)}
        self.order = [cipher for cipher in self.order if cipher.ident not in killed]
        self.active -= killed

    def strength_sort(self) -> None:
        # Active suites, highest strength first; OpenSSL moves each strength class to the end in turn.
        active = [cipher for cipher in self.order if cipher.ident in self.active]
        inactive = [cipher for cipher in self.order if cipher.ident not in self.active]
        self.order = inactive + sorted(active, key=lambda cipher: -cipher.strength_bits)

    def result(self) -> list[OpenSSLCipher]:
        return [cipher for cipher in self.order if cipher.ident in self.active]


@cache
def _initial(family: str) -> tuple[OpenSSLCipher, ...]:
    """OpenSSL's initial preference order (ssl_create_cipher_list before the string is read)."""
    lst = _CipherList(list(_table(family)))
    ecdhe = _Mask(mkey=_K["ECDH"])
    lst.add(_Mask(mkey=_K["ECDH"], auth=_A["ECDSA"]))
    lst.add(ecdhe)
    lst.delete(ecdhe)
    lst.add(_Mask(enc=_AESGCM))
    lst.add(_Mask(enc=_CHACHA))
    lst.add(_Mask(enc=(_AES128 | _AES256) & ~_AESGCM))
    lst.add(_Mask())
    lst.order_last(_Mask(mac=_M["MD5"]))
    lst.order_last(_Mask(auth=_A["None"]))
    lst.order_last(_Mask(mkey=_K["RSA"]))
    lst.order_last(_Mask(mkey=_K["PSK"]))
    lst.order_last(_Mask(enc=_ENC["RC4128"]))
    lst.strength_sort()
    # Prefer TLS 1.2 suites, then (EC)DHE + AEAD > (EC)DHE > other AEAD > the rest (bumped in reverse).
    lst.bump(_Mask(min_tls=_VERSION["TLSv1.2"]))
    lst.bump(_Mask(mac=_M["AEAD"]))
    lst.bump(_Mask(mkey=_K["DH"] | _K["ECDH"]))
    lst.bump(_Mask(mkey=_K["DH"] | _K["ECDH"], mac=_M["AEAD"]))
    return tuple(lst.order)


def version_family(openssl_version: str) -> str:
    """Map "1.1.1w", "3.0.19", "3.5" ... to the modelled family; raise for anything else."""
    match = re.fullmatch(r"\s*(\d+)\.(\d+)(?:\.(\d+))?[a-z]?\s*", openssl_version or "")
    if not match:
        raise CipherStringError(f"unknown OpenSSL version {openssl_version!r} (expected e.g. 1.1.1, 3.0, 3.2)")
    major, minor = int(match[1]), int(match[2])
    if (major, minor) == (1, 1) and (match[3] in (None, "1")):
        return "1.1.1"
    if major == 3 and minor < 2:
        return "3.0"
    if (major == 3 and minor >= 2) or major == 4:
        return "3.2"
    raise CipherStringError(f"OpenSSL {openssl_version} is not modelled (supported: 1.1.1, 3.0-3.6, 4.x)")


def default_security_level(openssl_version: str = "3.0") -> int:
    """OpenSSL's built-in security level: 1 up to 3.1, 2 from 3.2 on."""
    return 2 if version_family(openssl_version) == "3.2" else 1


_SEP = ":, ;"
_WORD = re.compile(r"[A-Za-z0-9\-_.=]*")
_SUITEB = (
    ("SUITEB128ONLY", "ECDHE-ECDSA-AES128-GCM-SHA256"),
    ("SUITEB128C2", "ECDHE-ECDSA-AES256-GCM-SHA384"),
    ("SUITEB128", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"),
    ("SUITEB192", "ECDHE-ECDSA-AES256-GCM-SHA384"),
)


class _State(Record):
    """What a cipher string sets besides the suites: its ``@SECLEVEL``."""

    __slots__ = ("security_level",)

    security_level: int | None

    def __init__(self, security_level: int | None = None) -> None:
        self.security_level = security_level


def _names(family: str) -> dict[str, OpenSSLCipher]:
    return _cipher_names(family)


@cache
def _cipher_names(family: str) -> dict[str, OpenSSLCipher]:
    names: dict[str, OpenSSLCipher] = {}
    for cipher in _table(family):
        names.setdefault(cipher.name, cipher)
    return names


def _process(rules: str, lst: _CipherList, family: str, state: _State, whole: str) -> None:
    """ssl_cipher_process_rulestr: one pass over a rule string."""
    names = _names(family)
    i, n = 0, len(rules)
    while i < n:
        ch = rules[i]
        op = {"-": "del", "+": "ord", "!": "kill", "@": "special"}.get(ch, "add")
        if op != "add":
            i += 1
        elif ch in _SEP:
            i += 1
            continue
        mask: _Mask | None = _Mask()
        while True:
            word = _WORD.match(rules, i)[0]  # type: ignore[index]
            if not word:
                bad = rules[i] if i < n else "end of string"
                raise CipherStringError(f"invalid cipher string {whole!r}: unexpected {bad!r}")
            i += len(word)
            if op == "special":
                break
            multi = i < n and rules[i] == "+"
            if multi:
                i += 1
            selector = _selector(word, names)
            if selector is None or mask is None:
                mask = None
                break
            mask = _combine(mask, selector)
            if mask is None or not multi:
                break
        if op != "special" and mask is not None:
            {"add": lst.add, "del": lst.delete, "ord": lst.order_last, "kill": lst.kill}[op](mask)
            continue  # parsing resumes right after the name: "HIGH!aNULL" is two elements
        if op == "special":
            _special(word, lst, state, whole)
        # Skip what is left of this element (an unknown name, or text after "@STRENGTH").
        while i < n and rules[i] not in _SEP:
            i += 1


def _special(word: str, lst: _CipherList, state: _State, whole: str) -> None:
    if word == "STRENGTH":
        lst.strength_sort()
    elif len(word) == 10 and word.startswith("SECLEVEL=") and word[9] in "012345":
        state.security_level = int(word[9])
    else:
        raise CipherStringError(f"invalid cipher string {whole!r}: unknown command '@{word}'")


def _selector(word: str, names: dict[str, OpenSSLCipher]) -> _Mask | None:
    cipher = names.get(word)
    if cipher is not None:
        return cipher.mask
    return _aliases().get(word)


def _combine(acc: _Mask, new: _Mask) -> _Mask | None:
    """Intersect two selectors as OpenSSL does for "A+B"; ``None`` when a field becomes empty."""
    fields = {}
    for name in ("mkey", "auth", "enc", "mac"):
        a, b = getattr(acc, name), getattr(new, name)
        if b:
            if a:
                a &= b
                if not a:
                    return None
            else:
                a = b
        fields[name] = a
    strength = acc.strength
    for part in (_STRONG_MASK, _NOT_DEFAULT):
        if new.strength & part:
            if strength & part:
                strength &= (new.strength & part) | ~part
                if not strength & part:
                    return None
            else:
                strength |= new.strength & part
    min_tls = acc.min_tls
    if not new.suite_id and new.min_tls:
        # A protocol version narrows the pattern only for aliases, never for an explicit suite.
        if min_tls and min_tls != new.min_tls:
            return None
        min_tls = new.min_tls
    return _Mask(
        fields["mkey"],
        fields["auth"],
        fields["enc"],
        fields["mac"],
        min_tls,
        strength,
        new.suite_id or acc.suite_id,
    )


class CipherString(Frozen):
    """One reading of a cipher string: the suites it enables and the ``@SECLEVEL`` it sets.

    The level comes from the same pass as the suites, so ``DEFAULT@SECLEVEL=0`` and
    ``HIGH@SECLEVEL=3:!aNULL`` (a command right after a name, no colon) set it exactly as
    OpenSSL's rule parser does. ``error`` is why ``SSL_CTX_set_cipher_list`` would fail (then
    ``ciphers`` is empty); a level read before the failing element is kept, as OpenSSL applies it.
    """

    __slots__ = ("ciphers", "security_level", "error")

    ciphers: tuple[OpenSSLCipher, ...]
    security_level: int | None
    error: str | None

    def __init__(
        self, ciphers: tuple[OpenSSLCipher, ...], security_level: int | None, error: str | None = None
    ) -> None:
        object.__setattr__(self, "ciphers", ciphers)
        object.__setattr__(self, "security_level", security_level)
        object.__setattr__(self, "error", error)


@cache
def parse(expression: str, openssl_version: str = "3.0") -> CipherString:
    """Read ``expression`` as ``SSL_CTX_set_cipher_list`` does (cached: configurations repeat strings).
    Raises :class:`CipherStringError` only for an OpenSSL version that is not modelled."""
    family = version_family(openssl_version)
    state = _State()
    try:
        ciphers = _run(expression, family, state)
    except CipherStringError as error:
        return CipherString((), state.security_level, str(error))
    return CipherString(tuple(ciphers), state.security_level)


def _run(expression: str, family: str, state: _State) -> list[OpenSSLCipher]:
    rules = expression
    for prefix, replacement in _SUITEB:
        if rules.startswith(prefix):
            rules = replacement  # Suite B mode replaces the whole string (and needs TLS 1.2)
            break
    lst = _CipherList(list(_initial(family)))
    if rules.startswith("DEFAULT"):
        _process(DEFAULT_CIPHER_LIST, lst, family, state, expression)
        rules = rules[7:]
        if rules.startswith(":"):
            rules = rules[1:]
    if rules:
        _process(rules, lst, family, state, expression)
    result = lst.result()
    if not result:
        raise CipherStringError(f"no cipher matches {expression!r}")
    return result


def expand_ciphers(expression: str, openssl_version: str = "3.0") -> list[OpenSSLCipher]:
    """Like :func:`expand`, but with OpenSSL's own classification of each suite."""
    parsed = parse(expression, openssl_version)
    if parsed.error is not None:
        raise CipherStringError(parsed.error)
    return list(parsed.ciphers)


def expand(expression: str, openssl_version: str = "3.0") -> list[CipherSuite]:
    """The TLS <= 1.2 suites an OpenSSL cipher string enables, in OpenSSL's order.

    Raises :class:`CipherStringError` where ``SSL_CTX_set_cipher_list`` fails: nothing matches, or the
    string has a character or ``@`` command OpenSSL rejects.
    """
    return [cipher.suite for cipher in expand_ciphers(expression, openssl_version)]


def security_level_of(expression: str, openssl_version: str = "3.0") -> int | None:
    """The security level a cipher string sets (``@SECLEVEL=n``; the last one wins), or ``None`` -- read
    by :func:`parse`, the same pass that yields the suites."""
    return parse(expression, openssl_version).security_level


def parse_ciphersuites(expression: str, openssl_version: str = "3.0") -> list[CipherSuite]:
    """A TLS 1.3 ``Ciphersuites`` list (``SSL_CTX_set_ciphersuites``): IANA names separated by ``:``.

    OpenSSL 3.x skips names it does not know, but rejects a list in which it knows none (``TLS_BOGUS``,
    ``tls_aes_128_gcm_sha256``: names are matched exactly, ``:``); 1.1.1 rejects the whole list at the first
    name it does not know. An empty list is valid (it turns TLS 1.3 off).
    """
    family = version_family(openssl_version)
    out: list[CipherSuite] = []
    for raw in expression.split(":"):
        name = raw.strip()
        if not name:
            continue
        suite = lookup(name) if name in _TLS13_AVAILABLE else None
        if suite is None:
            if family == "1.1.1":
                raise CipherStringError(f"no TLS 1.3 cipher suite matches {name!r}")
            continue
        if suite not in out:
            out.append(suite)
    if expression and not out:
        raise CipherStringError(f"no TLS 1.3 cipher suite matches {expression!r}")
    return out
