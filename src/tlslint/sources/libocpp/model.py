"""Read the three libocpp file formats into one table of device-model variables.

* **2.x component config** (``component_config/{standardized,custom}/<Component>.json``): one
  component per file, ``properties.<key>.{variable_name, instance, characteristics, attributes[]}``;
  the value is the ``Actual`` attribute's ``value`` (else the property's ``default``).
* **Flattened device-model dump** (EVerest docker image ``ocpp-config.json``, MaEVe e2e configs): a
  list of ``{name, variables: {<key>: {variable_name, attributes: {Actual: value}}}}``.
* **1.6 config** (``config/v16/config*.json``): sections (``Internal``, ``Security``, ...) of plain keys.

Variables are keyed by (component, variable name, instance) — the OCPP identity — not by the JSON
property key, which is an internal name (``SecurityCtrlrIdentity`` is ``SecurityCtrlr.Identity``).
"""

from __future__ import annotations

from typing import Any

from tlslint.model.located import Location
from tlslint.records import Record
from tlslint.sources.libocpp.strings import StringMap
from tlslint.yamlpos import PathKey, YamlDocument

V2, V16 = "2.x", "1.6"


class Variable(Record):
    """A variable of an OCPP device model: its component, name, value and where each was written."""

    __slots__ = ("component", "name", "value", "location", "key_location", "limits", "from_default", "lines")

    component: str
    name: str
    value: Any
    location: Location  # where the value is written
    key_location: Location  # where the variable is declared
    limits: dict[str, Any]  # characteristics: minLimit, maxLimit, dataType
    from_default: bool  # taken from the property's "default" (no Actual value written)
    lines: list[str]  # the file's text, for StringMap

    def __init__(
        self,
        component: str,
        name: str,
        value: Any,
        location: Location,
        key_location: Location,
        limits: dict[str, Any] | None = None,
        from_default: bool = False,
        lines: list[str] | None = None,
    ) -> None:
        self.component = component
        self.name = name
        self.value = value
        self.location = location
        self.key_location = key_location
        self.limits = {} if limits is None else limits
        self.from_default = from_default
        self.lines = [] if lines is None else lines

    def strings(self) -> StringMap:
        return StringMap(self.lines, self.location, str(self.value))


class DeviceModel(Record):
    """The OCPP device-model variables of one file, by component, name and instance."""

    __slots__ = ("flavour", "path", "variables", "items", "components")

    flavour: str  # V2 or V16
    path: str
    variables: dict[tuple[str, str, str | None], Variable]
    #: For list values (1.6 arrays): element locations by (component, name) -> tuple of locations.
    items: dict[tuple[str, str], tuple[Location | None, ...]]
    components: set[str]  # components defined in *this* file

    def __init__(
        self,
        flavour: str,
        path: str,
        variables: dict[tuple[str, str, str | None], Variable] | None = None,
        items: dict[tuple[str, str], tuple[Location | None, ...]] | None = None,
        components: set[str] | None = None,
    ) -> None:
        self.flavour = flavour
        self.path = path
        self.variables = {} if variables is None else variables
        self.items = {} if items is None else items
        self.components = set() if components is None else components

    def get(self, component: str, name: str, instance: str | None = None) -> Variable | None:
        return self.variables.get((component, name, instance))

    def merge(self, other: DeviceModel) -> None:
        """Add another file's variables (a sibling component file); ours win."""
        for key, variable in other.variables.items():
            self.variables.setdefault(key, variable)
        for key, items in other.items.items():
            self.items.setdefault(key, items)


def detect(data: Any) -> str | None:
    """Which libocpp format a parsed JSON document is, or None."""
    if isinstance(data, dict) and isinstance(data.get("properties"), dict) and isinstance(data.get("name"), str):
        return "component"
    if isinstance(data, list) and data and all(isinstance(c, dict) and "variables" in c for c in data):
        return "dump"
    if isinstance(data, dict) and isinstance(data.get("Internal"), dict):
        return "v16"
    return None


def read(document: YamlDocument, text: str) -> DeviceModel | None:
    kind = detect(document.data)
    lines = text.splitlines()
    if kind == "component":
        model = DeviceModel(V2, document.path)
        _read_component(model, document, lines, document.data, ())
        return model
    if kind == "dump":
        model = DeviceModel(V2, document.path)
        for index, component in enumerate(document.data):
            _read_dump_component(model, document, lines, component, (index,))
        return model
    if kind == "v16":
        model = DeviceModel(V16, document.path)
        _read_v16(model, document, lines)
        return model
    return None


def _read_component(
    model: DeviceModel, document: YamlDocument, lines: list[str], data: dict[str, Any], base: PathKey
) -> None:
    component = str(data["name"])
    model.components.add(component)
    for key, prop in data["properties"].items():
        if not isinstance(prop, dict):
            continue
        name = str(prop.get("variable_name", key))
        instance = prop.get("instance")
        here: PathKey = (*base, "properties", key)
        path: PathKey | None = None
        from_default = False
        for index, attribute in enumerate(prop.get("attributes") or []):
            if isinstance(attribute, dict) and attribute.get("type", "Actual") == "Actual" and "value" in attribute:
                path = (*here, "attributes", index, "value")
                value = attribute["value"]
                break
        else:
            if "default" not in prop:
                continue
            path, value, from_default = (*here, "default"), prop["default"], True
        limits = prop.get("characteristics") if isinstance(prop.get("characteristics"), dict) else {}
        model.variables[(component, name, None if instance is None else str(instance))] = Variable(
            component,
            name,
            value,
            document.loc(path),
            document.key_loc(here),
            dict(limits),
            from_default,
            lines,
        )


def _read_dump_component(
    model: DeviceModel, document: YamlDocument, lines: list[str], data: dict[str, Any], base: PathKey
) -> None:
    component = str(data.get("name", ""))
    if not component or not isinstance(data.get("variables"), dict):
        return
    if "evse_id" in data or "connector_id" in data:
        return  # EVSE/connector instances carry no TLS settings
    model.components.add(component)
    for key, variable in data["variables"].items():
        if not isinstance(variable, dict):
            continue
        attributes = variable.get("attributes")
        if not isinstance(attributes, dict) or "Actual" not in attributes:
            continue
        here: PathKey = (*base, "variables", key)
        name = str(variable.get("variable_name", key))
        instance = variable.get("instance")
        limits = variable.get("characteristics") if isinstance(variable.get("characteristics"), dict) else {}
        model.variables[(component, name, None if instance is None else str(instance))] = Variable(
            component,
            name,
            attributes["Actual"],
            document.loc((*here, "attributes", "Actual")),
            document.key_loc(here),
            dict(limits),
            False,
            lines,
        )


def _read_v16(model: DeviceModel, document: YamlDocument, lines: list[str]) -> None:
    for section, values in document.data.items():
        if not isinstance(values, dict):
            continue
        model.components.add(section)
        for key, value in values.items():
            path: PathKey = (section, key)
            model.variables[(section, key, None)] = Variable(
                section, key, value, document.loc(path), document.key_loc(path), {}, False, lines
            )
            if isinstance(value, list):
                model.items[(section, key)] = tuple(document.where.get((*path, i)) for i in range(len(value)))
