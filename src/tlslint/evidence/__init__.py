"""Evidence reports for auditors (``tlslint report``).

``report.json`` is the source of truth (:mod:`.document`); every other format is rendered from it:
``report.html`` (:mod:`.html`), OSCAL assessment results (:mod:`.oscal`), the EN 18031 technical
documentation rows (:mod:`.techdoc`) and a CycloneDX crypto inventory (:mod:`.cbom`). ``report verify``
and ``report diff`` live in :mod:`.verify`. Renderers read the document only, never the pipeline, so a
report can be re-rendered from its JSON alone.
"""
