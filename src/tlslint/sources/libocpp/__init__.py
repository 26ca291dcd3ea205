"""libocpp device-model files: 2.x component configs, flattened device-model dumps, 1.6 config JSON.

The 2.x device model is split over one file per component; the CSMS endpoints are built when the
file holding ``InternalCtrlr.NetworkConnectionProfiles`` is read, with the sibling ``SecurityCtrlr``
and ``OCPPCommCtrlr`` files (same directory, or ``../standardized`` / ``../custom``) read alongside.
Each file reports only the secrets written in it, so nothing is reported twice. Modules:
:mod:`.model` reads the formats, :mod:`.strings` locates values inside JSON strings,
:mod:`.build` makes the subjects.
"""

from __future__ import annotations

import os

from tlslint.errors import InputError
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.yamlpos import load_yaml, read_text

#: Components whose variables the CSMS endpoints need, by file name.
SIBLINGS = ("InternalCtrlr", "SecurityCtrlr", "OCPPCommCtrlr")


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.sources.libocpp import build, model

    result = ParseResult()
    document = load_yaml(path, text)
    device_model = model.read(document, text)
    if device_model is None:
        return result  # mentions variable_name but is not a device-model file: not ours
    own = set(device_model.components)
    if device_model.flavour == model.V2 and "InternalCtrlr" in own and len(own) == 1:
        for sibling in _siblings(path):
            try:
                sibling_text = read_text(sibling)
                other = model.read(load_yaml(sibling, sibling_text), sibling_text)
            except InputError:
                continue  # reported when that file itself is linted
            if other is not None and other.flavour == model.V2:
                device_model.merge(other)
    builder = build.Builder(device_model, own, context.engine_versions)
    builder.build()
    result.subjects.extend(builder.subjects)
    result.diagnostics.extend(builder.diagnostics)
    return result


def _siblings(path: str) -> list[str]:
    here = os.path.dirname(os.path.abspath(path))
    directories = [here, os.path.join(here, "..", "standardized"), os.path.join(here, "..", "custom")]
    found: list[str] = []
    seen = {os.path.abspath(path)}
    for directory in directories:
        for name in SIBLINGS:
            candidate = os.path.abspath(os.path.join(directory, f"{name}.json"))
            if candidate not in seen and os.path.isfile(candidate):
                seen.add(candidate)
                found.append(_display(candidate, path))
    return found


def _display(candidate: str, reference: str) -> str:
    """Show a sibling path the way the parsed file's path is shown (relative when that one is)."""
    if os.path.isabs(reference):
        return candidate
    return os.path.relpath(candidate)
