"""YAML (and JSON) loading that remembers where every value was written.

PyYAML's composer gives each node a start mark; we convert the node tree to plain Python values
ourselves and record, per JSON-pointer-like path (a tuple of keys and indices), the location of the
value and of its key. Converting ourselves also lets us enforce limits that a hostile file could
otherwise abuse: size, nesting depth, number of nodes (alias "billion laughs" expansion), and
duplicate keys, which YAML forbids but PyYAML silently accepts.
"""

from __future__ import annotations

from typing import Any

from tlslint.errors import InputError
from tlslint.model.located import Location
from tlslint.records import Record

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000

PathKey = tuple[str | int, ...]


class YamlDocument(Record):
    """Plain data plus the location of every value (``where``) and mapping key (``key_where``)."""

    __slots__ = ("path", "data", "where", "key_where")

    path: str
    data: Any
    where: dict[PathKey, Location]
    key_where: dict[PathKey, Location]

    def __init__(
        self,
        path: str,
        data: Any,
        where: dict[PathKey, Location] | None = None,
        key_where: dict[PathKey, Location] | None = None,
    ) -> None:
        self.path = path
        self.data = data
        self.where = {} if where is None else where
        self.key_where = {} if key_where is None else key_where

    def loc(self, path: PathKey) -> Location:
        """Location of the value at ``path``, or of its nearest ancestor that has one."""
        while path:
            found = self.where.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.where.get((), Location(self.path, 1, 1))

    def key_loc(self, path: PathKey) -> Location:
        """Location of the key that introduces ``path`` (for 'unknown key' messages)."""
        return self.key_where.get(path) or self.loc(path)


def read_text(path: str, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a text input, refusing binary files and files above the size limit with a clear error."""
    return decode_text(path, read_limited(path, max_bytes=max_bytes))


def read_limited(path: str, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The raw bytes of a text input (what evidence reports hash), through the confined reading layer
    (regular files inside the scanned trees only), refusing files above the size limit."""
    from tlslint import safe_read

    too_large = f"larger than the {max_bytes // (1024 * 1024)} MiB limit for configuration files"
    return safe_read.read_bytes(path, limit=max_bytes, too_large=too_large)


def decode_text(path: str, raw: bytes) -> str:
    """UTF-8 text (a byte-order mark dropped), refusing binary content with a clear error."""
    if b"\x00" in raw[:8192]:
        raise InputError(path, "is a binary file, not a text configuration")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(path, f"is not UTF-8 text (invalid byte at offset {error.start})") from None


def load_yaml(path: str, text: str | None = None) -> YamlDocument:
    """Parse one YAML or JSON document with locations. Raises :class:`InputError` on any problem."""
    import yaml

    if text is None:
        text = read_text(path)
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        raise InputError(location, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise InputError(path, f"invalid YAML: {error}") from None
    document = YamlDocument(path, None)
    if node is None:
        document.where[()] = Location(path, 1, 1)
        return document
    document.data = _Converter(path, document).convert(node, (), 0)
    return document


class _Converter:
    def __init__(self, path: str, document: YamlDocument) -> None:
        import yaml

        self._yaml = yaml
        self._path = path
        self._document = document
        self._constructor = yaml.constructor.SafeConstructor()
        self._nodes = 0

    def _location(self, node: Any) -> Location:
        start, end = node.start_mark, node.end_mark
        return Location(self._path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def convert(self, node: Any, path: PathKey, depth: int) -> Any:
        yaml = self._yaml
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise InputError(self._location(node), f"more than {MAX_NODES} YAML values (alias expansion?)")
        if depth > MAX_DEPTH:
            raise InputError(self._location(node), f"nested deeper than {MAX_DEPTH} levels")
        self._document.where[path] = self._location(node)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise InputError(self._location(key_node), "YAML merge keys ('<<') are not supported")
                key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str | int | float | bool) or key is None:
                    raise InputError(self._location(key_node), "mapping keys must be plain scalars")
                key = str(key)
                if key in result:
                    raise InputError(self._location(key_node), f"duplicate key '{key}'")
                self._document.key_where[(*path, key)] = self._location(key_node)
                result[key] = self.convert(value_node, (*path, key), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: Any) -> Any:
        tag = node.tag
        construct = {
            "tag:yaml.org,2002:null": self._constructor.construct_yaml_null,
            "tag:yaml.org,2002:bool": self._constructor.construct_yaml_bool,
            "tag:yaml.org,2002:int": self._constructor.construct_yaml_int,
            "tag:yaml.org,2002:float": self._constructor.construct_yaml_float,
        }.get(tag)
        if construct is not None:
            return construct(node)
        # Strings, and everything else (timestamps, binary, custom tags) as the text that was written:
        # configuration values are compared as text, and a date must not turn into a datetime object.
        return str(node.value)
