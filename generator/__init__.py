"""OpenAPI 3.1 -> typed Python client generator.

The pipeline has three stages, one module each:

* ``load``   - read the file, validate it, check ``$ref``s      -> ``LoadedSpec``
* ``model``  - build our intermediate model (``ir``) from it     -> ``ir.Api``
* ``render`` - render Jinja templates over the model             -> files in memory

``format`` runs black and ruff over the rendered files, ``write`` swaps them
into the output folder, and ``pipeline`` strings it all together for ``cli``.
"""
