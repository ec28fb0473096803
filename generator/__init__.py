"""OpenAPI 3.1 -> typed Python client generator.

The pipeline has three stages, each with its own module:

* ``load``   - read the file, validate it, check ``$ref``s      -> ``LoadedSpec``
* ``model``  - build our intermediate model (``ir``) from it     -> ``ir.Api``
  (``operations``, ``schemas`` and ``derive`` do the detailed work)
* ``render`` - render Jinja templates over the model             -> files in memory

``format`` runs ruff over the rendered files, ``write`` swaps them into the
output folder, and ``pipeline`` strings it all together for ``cli``.
"""

from pathlib import Path


def templates_folder() -> Path:
    """The templates: ``templates/`` beside the package in a checkout (and an
    editable install); inside the package when installed from a wheel, which
    carries the same folder as package data (see pyproject.toml)."""
    here = Path(__file__).resolve().parent
    inside = here / "templates"
    return inside if inside.is_dir() else here.parent / "templates"
